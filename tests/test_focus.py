"""--focus: only findings involving a capsule (or a file) under the focus paths are reported."""

from __future__ import annotations

from pathlib import Path

from capsule_audit.baseline import mark_baseline
from capsule_audit.focus import apply_focus, is_under
from capsule_audit.models.findings import Severity
from tests.reporters.sample_report import NEW, OLD, capsule_id, sample_report


def test_is_under_compares_whole_path_segments() -> None:
    assert is_under("batch/new/a.json", ["batch/new"])
    assert is_under("batch/new/a.json", ["./batch/new/"])
    assert is_under("batch/new", ["batch/new"])
    assert not is_under("batch/newer/a.json", ["batch/new"])
    assert not is_under("-", ["."])
    assert is_under(str(Path("batch/new/a.json").resolve()), ["batch"])


def test_keeps_findings_involving_the_new_batch_and_its_rejected_documents() -> None:
    report = sample_report()
    focused = apply_focus(report, ["batch/new"])
    new_capsules = {c.id for c in report.capsules if c.source.path == NEW}
    kept = {f.fingerprint for f in focused.findings}
    for f in report.findings:
        involves = bool(new_capsules & set(f.capsules)) or (f.location.file or "").startswith("batch/new/")
        assert (f.fingerprint in kept) == involves
    assert 0 < len(kept) < len(report.findings)
    # The cross-batch conflict (old capsule 1 vs new capsule 3) is kept: that is the point.
    assert any(capsule_id(1) in f.capsules and capsule_id(3) in f.capsules for f in focused.findings)


def test_summary_and_capsule_statuses_are_recounted() -> None:
    focused = apply_focus(sample_report(), [OLD.replace("accepted.ndjson", "")])
    assert sum(focused.summary.findings.values()) == len(focused.findings)
    assert sum(focused.summary.by_rule.values()) == len(focused.findings)
    kept = {f.fingerprint for f in focused.findings}
    for entry in focused.capsules:
        assert set(entry.findings) <= kept
        if not entry.findings:
            assert entry.status == "clean"
    assert focused.run.focus == ("corpus/",)
    assert focused.summary.documents == sample_report().summary.documents  # the corpus was audited


def test_focus_outside_every_capsule_reports_nothing() -> None:
    focused = apply_focus(sample_report(), ["elsewhere"])
    assert focused.findings == () and focused.clusters == ()
    assert all(entry.status == "clean" for entry in focused.capsules)


def test_no_focus_changes_nothing_and_baseline_counts_follow() -> None:
    report = sample_report()
    assert apply_focus(report, []) == report
    marked = mark_baseline(report, {}, "b.json")
    focused = apply_focus(marked, ["batch/new"])
    assert focused.baseline is not None
    assert focused.baseline.new == len(focused.findings)
    assert all(f.severity in Severity for f in focused.findings)
