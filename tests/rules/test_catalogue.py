"""The catalogue: every rule documented, tested by a fixture folder, and listed in the README."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from capsule_audit.cli import app
from capsule_audit.rules.base import Scope
from capsule_audit.rules.registry import BUILTIN_RULES
from tests.conftest import FIXTURES, ROOT

SECTIONS = ("## Why this matters", "## Fails", "## Passes")
KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _folders() -> set[str]:
    root = FIXTURES / "rules"
    return {p.name for p in root.iterdir() if p.is_dir()} if root.is_dir() else set()


def test_codes_are_unique_and_names_kebab_case() -> None:
    codes = [r.code for r in BUILTIN_RULES]
    names = [r.name for r in BUILTIN_RULES]
    assert len(codes) == len(set(codes)) and len(names) == len(set(names))
    assert all(re.fullmatch(r"CA\d{3}", c) for c in codes)
    assert [n for n in names if not KEBAB.fullmatch(n)] == []


def test_every_rule_documents_why_fails_and_passes() -> None:
    missing = [(r.code, s) for r in BUILTIN_RULES for s in SECTIONS if s not in r.doc]
    assert missing == []
    assert all(r.summary for r in BUILTIN_RULES)


def test_every_checked_rule_has_a_fixture_folder_and_every_folder_a_rule() -> None:
    wanted = {f"{r.code}-{r.name}" for r in BUILTIN_RULES if r.scope is not Scope.INPUT}
    folders = _folders()
    assert sorted(wanted - folders) == [], "rules without fixtures/rules/<CODE>-<name>/"
    assert sorted(folders - wanted) == [], "fixture folders without a rule"
    for name in folders:
        assert (FIXTURES / "rules" / name / "fail" / "expected.yaml").is_file()
        assert (FIXTURES / "rules" / name / "pass").is_dir()


def test_readme_rule_table_is_generated_from_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", readme, re.S)
    assert block, "README.md needs the rule table between <!-- rules:start --> and <!-- rules:end -->"
    generated = CliRunner().invoke(app, ["rules", "--format", "markdown"]).output
    assert block.group(1) == generated, "regenerate with: capsule-audit rules --format markdown"
