"""One JUnit testcase's failures: the evidence of its own capsule, XML-safe text, notes for infos."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from capsule_audit.models.findings import Evidence, Location, Severity
from capsule_audit.reporters.junit_cases import case_element, clean, document_key, failure_of
from tests.reporters.sample_report import capsule_id, finding


def test_a_capsules_failure_quotes_its_own_evidence_only() -> None:
    f = finding(
        "CA401",
        "conflicting-attribution",
        Severity.ERROR,
        "credited with 2 methods",
        capsules=(1, 2),
        evidence=(
            Evidence(capsule=capsule_id(1), text="one says RGO"),
            Evidence(capsule=capsule_id(2), text="two says SAR"),
        ),
    )
    kind, message, body, note = failure_of(f, capsule_id(2))
    assert (kind, message, note) == ("CA401 conflicting-attribution", "credited with 2 methods", False)
    assert "two says SAR" in body and "one says RGO" not in body
    assert capsule_id(1) in body  # the other capsules are named (ten at most)


def test_a_finding_on_many_capsules_counts_them_instead_of_listing_them() -> None:
    f = finding(
        "CA104", "duplicate-title", Severity.WARNING, "11 capsules share a title", capsules=tuple(range(11))
    )
    _, _, body, _ = failure_of(f, capsule_id(0))
    assert "11" in body and capsule_id(5) not in body


def test_text_xml_cannot_hold_is_replaced() -> None:
    assert clean("a\x00b\x1bc\ufffed") == "a\ufffdb\ufffdc\ufffdd"
    assert clean("tab\tand newline\n") == "tab\tand newline\n"


def test_an_info_is_a_note_and_an_error_a_failure() -> None:
    info = failure_of(finding("CA505", "x", Severity.INFO, "just so you know", capsules=(1,)), capsule_id(1))
    error = failure_of(finding("CA101", "y", Severity.ERROR, "dup\x00id", capsules=(1,)), capsule_id(1))
    case = ET.fromstring(case_element("dump.ndjson", capsule_id(1), (info, error)))
    assert [x.get("type") for x in case.findall("failure")] == ["CA101 y"]
    assert case.findall("failure")[0].get("message") == "dup\ufffdid"
    out = case.find("system-out")
    assert out is not None and "just so you know" in (out.text or "")


def test_a_rejected_document_is_a_testcase_of_its_file_and_place() -> None:
    f = finding("CA001", "invalid-json", Severity.ERROR, "bad", location=Location(file="dump.ndjson", line=7))
    assert document_key(f) == ("dump.ndjson", "dump.ndjson#7")
    f = finding(
        "CA001", "invalid-json", Severity.ERROR, "bad", location=Location(file="a.json", pointer="/x")
    )
    assert document_key(f) == ("a.json", "a.json#/x")
