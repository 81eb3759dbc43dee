"""JUnit XML: parses back, a testcase per capsule and rejected document, a failure per error or
warning, info findings as notes in system-out."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest

from capsule_audit.models.claims import Span
from capsule_audit.models.findings import Evidence, Location, Severity
from capsule_audit.reporters.junit import render_junit, write_junit
from capsule_audit.store import database
from capsule_audit.store.database import Store
from tests.reporters.sample_report import capsule_id, finding, sample_report


def _cases(xml: str) -> dict[str, list[ET.Element]]:
    root = ET.fromstring(xml)
    assert root.tag == "testsuites"
    return {case.get("name", ""): case.findall("failure") for case in root.iter("testcase")}


def test_a_testcase_per_capsule_and_a_failure_per_error_or_warning() -> None:
    report = sample_report()
    cases = _cases(render_junit(report))
    for entry in report.capsules:
        failures = cases[entry.id]
        involved = [f for f in report.findings if entry.id in f.capsules and f.severity is not Severity.INFO]
        assert sorted(x.get("message", "") for x in failures) == sorted(f.message for f in involved)
    rejected = [f for f in report.findings if not f.capsules]
    assert rejected
    unattached = [fs for name, fs in cases.items() if name not in {c.id for c in report.capsules}]
    assert sum(len(fs) for fs in unattached) == len(rejected)


def test_counts_match_the_testcases() -> None:
    report = sample_report()
    root = ET.fromstring(render_junit(report))
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert int(suite.get("tests", "-1")) == len(cases)
    assert int(suite.get("failures", "-1")) == sum(1 for c in cases if c.find("failure") is not None)


def test_a_clean_capsule_passes() -> None:
    report = sample_report(findings=())
    cases = _cases(render_junit(report))
    assert {name for name, failures in cases.items() if not failures} == {c.id for c in report.capsules}


def test_control_characters_in_capsule_text_keep_the_xml_well_formed() -> None:
    evidence = Evidence(capsule=capsule_id(1), text="cut\x00off\x0b<&>", span=Span(start=0, end=3))
    bad = finding("CA201", "truncated", Severity.WARNING, "bell\x07 and <b>", (1,), evidence=(evidence,))
    xml = render_junit(sample_report((bad,)))
    failure = _cases(xml)[capsule_id(1)][0]
    assert "<b>" in (failure.get("message") or "")
    assert "<&>" in (failure.text or "")


def test_each_testcase_shows_only_its_own_capsule_evidence() -> None:
    """A finding over many capsules must not repeat every capsule's evidence in every testcase."""
    evidence = tuple(
        Evidence(capsule=capsule_id(n), text=f"quote from capsule {n}", span=Span(start=0, end=5))
        for n in (1, 2, 3)
    )
    shared = finding("CA401", "conflicting-attribution", Severity.ERROR, "m", (1, 2, 3), evidence=evidence)
    cases = _cases(render_junit(sample_report((shared,))))
    for n in (1, 2, 3):
        (failure,) = cases[capsule_id(n)]
        quoted = [line for line in (failure.text or "").splitlines() if line.startswith("evidence")]
        assert quoted == [f"evidence ({capsule_id(n)}): quote from capsule {n}"]
        assert all(capsule_id(k) in (failure.text or "") for k in (1, 2, 3))  # still names them all


def _order_report() -> tuple[list[str], list[list[str]]]:
    """Testcase names in document order, and each testcase's failure messages in order."""
    findings = (
        finding("CA504", "uncited-claim", Severity.INFO, "info on 1", (1,)),
        finding("CA401", "conflicting-attribution", Severity.ERROR, "error on 1 and 3", (1, 3)),
        finding("CA101", "duplicate-capsule-id", Severity.WARNING, "only a finding names 9", (9,)),
        finding(
            "CA001", "unreadable-input", Severity.ERROR, "broken", location=Location(file="b.json", line=4)
        ),
        finding("CA001", "unreadable-input", Severity.ERROR, "broken too", location=Location(file="a.json")),
    )
    root = ET.fromstring(render_junit(sample_report(findings)))
    cases = list(root.iter("testcase"))
    return [c.get("name", "") for c in cases], [
        [f.get("message", "") for f in c.findall("failure")] for c in cases
    ]


def test_testcases_follow_file_and_line_then_finding_only_capsules_then_documents() -> None:
    names, failures = _order_report()
    # capsules 1 and 2 come from corpus/accepted.ndjson lines 1-2, capsule 3 from batch/new/...
    assert names == [capsule_id(3), capsule_id(1), capsule_id(2), capsule_id(9), "a.json", "b.json#4"]
    assert failures[1] == ["error on 1 and 3"]  # worst first; the info finding is a note
    assert failures[0] == ["error on 1 and 3"] and failures[2] == []
    assert failures[3:] == [["only a finding names 9"], ["broken too"], ["broken"]]


def test_testcases_joined_in_a_given_store_are_the_same_and_leave_no_table_behind() -> None:
    own_store = render_junit(sample_report())
    store = Store()
    try:
        tables = store.con.execute("SHOW TABLES").fetchall()
        out = io.StringIO()
        write_junit(sample_report(), out, store=store)
        assert out.getvalue() == own_store
        assert store.con.execute("SHOW TABLES").fetchall() == tables
    finally:
        store.close()


def test_info_findings_are_notes_in_system_out_not_failures() -> None:
    findings = (
        finding("CA504", "uncited-claim", Severity.INFO, "info on 1", (1,)),
        finding("CA205", "placeholder-identifier", Severity.INFO, "info on 2", (2,)),
        finding("CA401", "conflicting-attribution", Severity.ERROR, "error on 2", (2,)),
    )
    root = ET.fromstring(render_junit(sample_report(findings)))
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "1" and root.get("failures") == "1"
    cases = {case.get("name", ""): case for case in suite.iter("testcase")}
    only_info, mixed = cases[capsule_id(1)], cases[capsule_id(2)]
    assert only_info.find("failure") is None  # passes on a dashboard
    assert "CA504 uncited-claim: info on 1" in (only_info.findtext("system-out") or "")
    assert [f.get("message") for f in mixed.findall("failure")] == ["error on 2"]
    assert "CA205 placeholder-identifier: info on 2" in (mixed.findtext("system-out") or "")


def test_testcases_larger_than_the_store_memory_are_sorted_on_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "MEMORY_LIMIT", "16MB")  # ~50 MB of failure texts to order
    quotes = tuple(
        Evidence(capsule=capsule_id(n), text=f"{n}" * 8000, span=Span(start=0, end=5)) for n in (1, 2, 3)
    )
    findings = tuple(
        finding(
            "CA401", "conflicting-attribution", Severity.ERROR, f"conflict {k}", (1, 2, 3), evidence=quotes
        )
        for k in range(2000)
    )
    cases = _cases(render_junit(sample_report(findings)))
    for n in (1, 2, 3):
        assert len(cases[capsule_id(n)]) == 2000
