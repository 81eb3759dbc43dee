"""render / write_outputs: every format, several outputs in one run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from capsule_audit.errors import UsageError
from capsule_audit.reporters import FORMATS, render, write_outputs
from tests.reporters.sample_report import sample_report


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "text"])
def test_every_format_renders_deterministically(fmt: str) -> None:
    first = render(sample_report(), fmt)
    assert first and first == render(sample_report(), fmt)


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        render(sample_report(), "pdf")


def test_several_outputs_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = sample_report()
    outputs = {
        "json": str(tmp_path / "out" / "report.json"),
        "sarif": str(tmp_path / "report.sarif"),
        "html": None,
        "github": "-",
    }
    write_outputs(report, outputs)
    assert json.loads((tmp_path / "out" / "report.json").read_text())["summary"]["documents"] == 4
    assert json.loads((tmp_path / "report.sarif").read_text())["version"] == "2.1.0"
    assert not list(tmp_path.glob("*.html"))
    assert capsys.readouterr().out == render(report, "github")


def test_a_bad_format_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        write_outputs(sample_report(), {"json": str(tmp_path / "a.json"), "nope": str(tmp_path / "b")})
    assert list(tmp_path.iterdir()) == []


def test_text_is_delegated_to_the_text_reporter() -> None:
    text_module = pytest.importorskip("capsule_audit.reporters.text")
    report = sample_report()
    assert render(report, "text") == text_module.render_text(report)
