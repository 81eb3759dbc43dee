"""--focus: which paths lie under a focus, and which findings involve it (`store.narrowed`
applies it to an audit: tests/store/test_narrowed.py)."""

from __future__ import annotations

from pathlib import Path

from capsule_audit.focus import involves, is_under
from capsule_audit.models.findings import Location, Severity
from tests.reporters.sample_report import capsule_id, finding


def test_is_under_compares_whole_path_segments() -> None:
    assert is_under("batch/new/a.json", ["batch/new"])
    assert is_under("batch/new/a.json", ["./batch/new/"])
    assert is_under("batch/new", ["batch/new"])
    assert not is_under("batch/newer/a.json", ["batch/new"])
    assert not is_under("-", ["."])
    assert is_under(str(Path("batch/new/a.json").resolve()), ["batch"])


def test_a_finding_involves_the_focus_through_a_capsule_or_its_file() -> None:
    roots = ["batch/new"]
    focused = {capsule_id(3)}
    conflict = finding("CA401", "conflicting-attribution", Severity.ERROR, "m", (1, 3))
    elsewhere = finding("CA401", "conflicting-attribution", Severity.ERROR, "m", (1, 2))
    rejected = finding(
        "CA001", "unreadable-input", Severity.ERROR, "m", location=Location(file="batch/new/x.json")
    )
    old = finding("CA001", "unreadable-input", Severity.ERROR, "m", location=Location(file="corpus/x.json"))
    assert involves(conflict, focused, roots)
    assert not involves(elsewhere, focused, roots)
    assert involves(rejected, focused, roots)
    assert not involves(old, focused, roots)
