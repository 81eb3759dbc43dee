"""Every rule folder `fixtures/rules/<CODE>-<name>/`: `fail/` gives exactly the expected findings
of that rule (matched on code, capsules and key), `pass/` gives none.

A case folder may hold `verdicts.yaml` (identifier key -> verdict fields): the online verdicts
the audit runs with, as `--online` would have found them (the CA70x fixtures)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from capsule_audit.api import audit
from capsule_audit.config import AuditConfig
from capsule_audit.models.verdicts import Verdict
from tests.conftest import FIXTURES

RULE_FOLDERS = (
    sorted(p for p in (FIXTURES / "rules").iterdir() if p.is_dir()) if (FIXTURES / "rules").is_dir() else []
)
NOW = datetime(2026, 6, 1, tzinfo=UTC)

Match = tuple[str, tuple[str, ...], str | None]


def _expected(folder: Path) -> tuple[Counter[Match], datetime]:
    data = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8")) or {}
    found = Counter(
        (str(f["code"]), tuple(sorted(f.get("capsules") or ())), f.get("key"))
        for f in data.get("findings") or ()
    )
    now = data.get("now")
    return found, (datetime.fromisoformat(str(now).replace("Z", "+00:00")) if now else NOW)


def _verdicts(folder: Path) -> dict[str, Verdict] | None:
    path = folder / "verdicts.yaml"
    if not path.is_file():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(key): Verdict.model_validate({"key": key, **fields}) for key, fields in data.items()}


def _actual(folder: Path, code: str, now: datetime) -> Counter[Match]:
    config = AuditConfig(now=now, exclude=("*.yaml",))  # expected.yaml and verdicts.yaml are no input
    report = audit([str(folder)], config, verdicts=_verdicts(folder))
    return Counter((f.rule, f.capsules, f.key) for f in report.findings if f.rule == code)


@pytest.mark.parametrize(
    ("folder", "case"),
    [(folder, case) for folder in RULE_FOLDERS for case in ("fail", "pass")],
    ids=lambda v: v.name if isinstance(v, Path) else v,
)
def test_rule_fixture(folder: Path, case: str) -> None:
    code = folder.name.split("-", 1)[0]
    if case == "fail":
        expected, now = _expected(folder / "fail")
        assert expected, f"{folder.name}/fail/expected.yaml lists no finding"
        assert _actual(folder / "fail", code, now) == expected
    else:
        assert _actual(folder / "pass", code, NOW) == Counter()
