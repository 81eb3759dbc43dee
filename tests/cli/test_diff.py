"""`capsule-audit diff`: new, fixed and unchanged findings between two JSON reports."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from capsule_audit.cli import app
from capsule_audit.cli.diff import diff_reports
from capsule_audit.models.findings import Finding, Severity
from capsule_audit.reporters.json_report import render_json
from tests.reporters.sample_report import finding, sample_report

runner = CliRunner()


def _write(path: Path, findings: tuple[Finding, ...]) -> Path:
    path.write_text(render_json(sample_report(findings)), encoding="utf-8")
    return path


def _findings() -> tuple[tuple[Finding, ...], tuple[Finding, ...], Finding]:
    old = sample_report().findings
    added = finding("CA402", "conflicting-figure", Severity.WARNING, "18% vs 12%", (1, 2), key="arxiv:1")
    return old, (*old[1:], added), added


def test_diff_reports_splits_by_fingerprint() -> None:
    old, new, added = _findings()
    diff = diff_reports(sample_report(old), sample_report(new))
    assert [f.fingerprint for f in diff.new] == [added.fingerprint]
    assert [f.fingerprint for f in diff.fixed] == [old[0].fingerprint]
    assert {f.fingerprint for f in diff.unchanged} == {f.fingerprint for f in old[1:]}


def test_reordered_findings_are_all_unchanged() -> None:
    old = sample_report().findings
    diff = diff_reports(sample_report(old), sample_report(tuple(reversed(old))))
    assert diff.new == () and diff.fixed == () and len(diff.unchanged) == len(old)


def test_cli_json_output_and_exit_code(tmp_path: Path) -> None:
    old, new, added = _findings()
    a, b = _write(tmp_path / "old.json", old), _write(tmp_path / "new.json", new)
    result = runner.invoke(app, ["diff", str(a), str(b), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [f["fingerprint"] for f in data["new"]] == [added.fingerprint]
    assert [f["fingerprint"] for f in data["fixed"]] == [old[0].fingerprint]
    assert runner.invoke(app, ["diff", str(a), str(b), "--exit-zero"]).exit_code == 0
    assert runner.invoke(app, ["diff", str(b), str(b)]).exit_code == 0


def test_cli_text_names_the_new_finding(tmp_path: Path) -> None:
    old, new, added = _findings()
    result = runner.invoke(
        app, ["diff", str(_write(tmp_path / "o.json", old)), str(_write(tmp_path / "n.json", new))]
    )
    new_section = result.stdout.split("fixed:")[0]
    assert added.rule in new_section and added.message in new_section


def test_cli_rejects_a_file_that_is_not_a_report(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}')
    result = runner.invoke(app, ["diff", str(bad), str(bad)])
    assert result.exit_code == 2
    result = runner.invoke(app, ["diff", str(tmp_path / "missing.json"), str(bad)])
    assert result.exit_code == 2


def _severity_moved(tmp_path: Path) -> tuple[Path, Path, Finding]:
    """Two reports whose one difference is CA205's severity: info before, error after."""
    before = finding("CA205", "placeholder-identifier", Severity.INFO, "serial 01234", (1,), key="arxiv:1")
    after = before.model_copy(update={"severity": Severity.ERROR})
    kept = finding("CA401", "conflicting-attribution", Severity.ERROR, "m", (1, 2), key="arxiv:2")
    return _write(tmp_path / "old.json", (before, kept)), _write(tmp_path / "new.json", (after, kept)), after


def test_a_raised_severity_is_one_changed_finding_not_fixed_plus_new(tmp_path: Path) -> None:
    old, new, moved = _severity_moved(tmp_path)
    result = runner.invoke(app, ["diff", str(old), str(new), "--format", "json"])
    data = json.loads(result.stdout)
    assert data["new"] == [] and data["fixed"] == [] and len(data["unchanged"]) == 1
    (changed,) = data["changed"]
    assert changed["finding"]["fingerprint"] == moved.fingerprint
    assert (changed["severity_before"], changed["finding"]["severity"], changed["change"]) == (
        "info",
        "error",
        "raised",
    )
    assert result.exit_code == 1  # a finding that now fails the run is a regression, as a new one is


def test_a_lowered_severity_is_changed_and_does_not_fail(tmp_path: Path) -> None:
    old, new, moved = _severity_moved(tmp_path)
    result = runner.invoke(app, ["diff", str(new), str(old)])
    assert result.exit_code == 0
    changed = result.stdout.split("changed:")[1].split("unchanged:")[0]
    assert moved.rule in changed and "lowered" in changed and "error -> info" in changed
