"""Shared reporter helpers."""

from __future__ import annotations

import random

from capsule_audit.models.findings import Finding, Severity
from capsule_audit.reporters.common import (
    by_importance,
    capsule_index,
    capsules_of,
    finding_file,
    finding_line,
    most_important,
    rule_counts,
    severity_counts,
    worst_per_severity,
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


def _ranked(n: int, severity: Severity, rule: str, key: str, fingerprint: str) -> Finding:
    return Finding(rule=rule, name="x", severity=severity, message=str(n), key=key, fingerprint=fingerprint)


def test_bounded_selections_equal_sorting_everything_ties_included() -> None:
    rng = random.Random(4)
    findings = [
        _ranked(
            n,
            rng.choice(list(Severity)),
            rng.choice(["CA101", "CA401", "CA504"]),
            rng.choice(["a", "b"]),
            rng.choice(["f1", "f2", "f3"]),  # many ties: input order must decide them
        )
        for n in range(700)
    ]
    for n in (1, 3, 10, 1000):
        assert most_important(iter(findings), n) == by_importance(findings)[:n]
        worst, total = worst_per_severity(iter(findings), n)
        assert total == len(findings)
        for severity in Severity:
            own = [f for f in findings if f.severity is severity]
            assert [f.message for f in worst[severity]] == [f.message for f in by_importance(own)[:n]]


def test_capsule_entries_are_read_only_for_findings_without_a_file() -> None:
    report = sample_report()
    located = [f for f in report.findings if f.location.file]
    unlocated = [f for f in report.findings if not f.location.file]
    assert located and unlocated

    class Source:
        """A report whose capsule entries must not be read."""

        def __getattr__(self, name: str) -> object:
            if name == "capsules":
                raise AssertionError("capsules read")
            return getattr(report, name)

    assert capsules_of(Source(), located) == {}  # type: ignore[arg-type]
    entries = capsules_of(report, unlocated)
    assert set(entries) == {c for f in unlocated for c in f.capsules}
    assert finding_file(unlocated[0], entries) == finding_file(unlocated[0], capsule_index(report))
