"""`--help` names values for people (FILE, RULES, N), never by Python type (`<bool>`, `<list[str]>`)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from capsule_audit.cli import app

PYTHON_TYPE = re.compile(r"<(bool|str|int|float|path|list\[[^\]]*\]|int range|float range)>")
COMMANDS = ["audit", "rules", "rule", "fetch", "normalize", "schema", "claims", "diff"]


def _help(*command: str) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    return result.stdout


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)], ids=["root", *COMMANDS])
def test_help_shows_no_python_type_names(command: list[str]) -> None:
    text = _help(*command)
    assert PYTHON_TYPE.findall(text) == []


def test_values_are_named_for_what_they_are_and_flags_take_none() -> None:
    text = _help("audit")
    assert re.search(r"--output\s+-o\s+FILE\s", text) and re.search(r"--select\s+RULES\s", text)
    assert re.search(r"--jobs\s+-j\s+N\s", text)
    assert re.search(r"--exit-zero\s+Exit 0", text)  # a flag: no value shown
