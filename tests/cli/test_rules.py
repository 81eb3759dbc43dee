"""`capsule-audit rules` and `capsule-audit rule CODE`."""

from __future__ import annotations

from typer.testing import CliRunner

from capsule_audit.cli import app
from capsule_audit.rules.registry import BUILTIN_RULES


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout


def test_rules_lists_every_rule_once_in_code_order() -> None:
    code, out = _invoke("rules")
    listed = [line.split()[0] for line in out.splitlines()]
    assert code == 0 and listed == sorted(r.code for r in BUILTIN_RULES)
    assert all(r.name in out for r in BUILTIN_RULES)


def test_rules_markdown_is_a_table_row_per_rule() -> None:
    code, out = _invoke("rules", "--format", "markdown")
    rows = [line for line in out.splitlines() if line.startswith("| CA")]
    assert code == 0 and [row.split("|")[1].strip() for row in rows] == sorted(r.code for r in BUILTIN_RULES)


def test_rules_select_a_family() -> None:
    _, out = _invoke("rules", "--select", "CA1")
    assert {line.split()[0] for line in out.splitlines()} == {
        r.code for r in BUILTIN_RULES if r.code.startswith("CA1")
    }


def test_rule_explains_by_code_or_name() -> None:
    code, out = _invoke("rule", "ca501")
    assert code == 0 and "## Why this matters" in out and "truncated-text" in out
    assert _invoke("rule", "truncated-text")[1] == out


def test_unknown_rule_or_format_exits_2() -> None:
    assert _invoke("rule", "CA999")[0] == 2
    assert _invoke("rules", "--format", "pdf")[0] == 2
