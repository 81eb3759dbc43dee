"""Baselines: a round trip accepts everything; a new finding alone is `new` and fails the run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from capsule_audit.baseline import apply_baseline, exit_code, failing_findings, read_baseline, write_baseline
from capsule_audit.errors import UsageError
from capsule_audit.models.findings import Evidence, Finding, Severity
from tests.reporters.sample_report import capsule_id, finding, sample_report


def _new_conflict() -> Finding:
    return finding(
        "CA401",
        "conflicting-attribution",
        Severity.ERROR,
        "arXiv:2605.00001 is credited with two methods",
        (2, 3),
        key="arxiv:2605.00001",
        evidence=(Evidence(capsule=capsule_id(2), text="ORPO"),),
    )


def test_round_trip_marks_everything_baseline_and_passes(tmp_path: Path) -> None:
    report = sample_report()
    path = tmp_path / "baseline.json"
    write_baseline(report, path)
    marked = apply_baseline(report, path)
    assert {f.baseline for f in marked.findings} == {"baseline"}
    assert marked.baseline is not None and marked.baseline.new == 0 and marked.baseline.stale == ()
    assert exit_code(report, "error") == 1  # without the baseline the errors fail the run
    assert exit_code(marked, "error") == 0


def test_a_new_finding_alone_is_new_and_fails(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(sample_report(), path)
    added = _new_conflict()
    report = sample_report((*sample_report().findings, added))
    marked = apply_baseline(report, path)
    assert [f.fingerprint for f in marked.findings if f.baseline == "new"] == [added.fingerprint]
    assert [f.fingerprint for f in failing_findings(marked, "error")] == [added.fingerprint]
    assert exit_code(marked, "error") == 1
    assert exit_code(marked, "error", exit_zero=True) == 0
    assert exit_code(marked, "never") == 0


def test_fixed_findings_become_stale_entries(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    full = sample_report()
    write_baseline(full, path)
    fixed = full.findings[0]
    marked = apply_baseline(sample_report(full.findings[1:]), path)
    assert marked.baseline is not None
    assert [e.fingerprint for e in marked.baseline.stale] == [fixed.fingerprint]
    assert marked.baseline.stale[0].rule == fixed.rule


def test_baseline_file_is_stable_and_independent_of_finding_order(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_baseline(sample_report(), a)
    write_baseline(sample_report(tuple(reversed(sample_report().findings))), b)
    assert a.read_bytes() == b.read_bytes()
    assert set(read_baseline(a)) == {f.fingerprint for f in sample_report().findings}


def test_fail_on_threshold_respects_severity(tmp_path: Path) -> None:
    only_info = sample_report(tuple(f for f in sample_report().findings if f.severity is Severity.INFO))
    assert exit_code(only_info, "error") == 0
    assert exit_code(only_info, "warning") == 0
    assert exit_code(only_info, "info") == 1


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        json.dumps({"findings": []}),
        json.dumps({"capsule_audit_baseline": 1, "findings": [{"rule": "x"}]}),
    ],
)
def test_a_file_that_is_not_a_baseline_is_a_usage_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(UsageError):
        apply_baseline(sample_report(), path)


def test_a_missing_baseline_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        apply_baseline(sample_report(), tmp_path / "absent.json")


def test_exit_code_of_a_stream_stops_at_the_first_failing_finding() -> None:
    from collections.abc import Iterator

    from capsule_audit.baseline import exit_code_of

    report = sample_report()
    read: list[Finding] = []

    def stream() -> Iterator[Finding]:
        for f in report.findings:
            read.append(f)
            yield f

    assert exit_code_of(stream(), "info") == exit_code(report, "info") == 1
    assert len(read) == 1  # a spool on disk is read only as far as needed
    assert exit_code_of(stream(), "never") == 0
    assert exit_code_of(iter(report.findings), "error", exit_zero=True) == 0
