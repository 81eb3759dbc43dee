"""Shared reporter helpers."""

from __future__ import annotations

from capsule_audit.models.findings import Severity
from capsule_audit.reporters.common import (
    by_importance,
    capsule_index,
    finding_file,
    finding_line,
    rule_counts,
    severity_counts,
)
from tests.reporters.sample_report import sample_report


def test_by_importance_puts_the_worst_first_and_is_order_independent() -> None:
    findings = sample_report().findings
    ordered = by_importance(findings)
    ranks = [f.severity.rank for f in ordered]
    assert ranks == sorted(ranks, reverse=True)
    assert by_importance(reversed(findings)) == ordered


def test_counts() -> None:
    findings = sample_report().findings
    assert sum(severity_counts(findings).values()) == len(findings)
    assert severity_counts(())[Severity.ERROR.value] == 0
    assert sum(rule_counts(findings).values()) == len(findings)


def test_location_falls_back_to_the_capsule_source() -> None:
    report = sample_report()
    entries = capsule_index(report)
    for f in report.findings:
        if f.location.file is None:
            entry = entries[f.capsules[0]]
            assert finding_file(f, entries) == entry.source.path
            assert finding_line(f, entries) == entry.source.line
        else:
            assert finding_file(f, entries) == f.location.file
