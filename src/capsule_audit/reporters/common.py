"""Helpers every reporter shares: finding order, where a finding points, capsule look-ups."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.report import CapsuleEntry, Report

SEVERITIES: tuple[Severity, ...] = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def by_importance(findings: Iterable[Finding]) -> list[Finding]:
    """Worst first, then by rule code and fingerprint: a stable order for 'top findings' and caps."""
    return sorted(findings, key=lambda f: (-f.severity.rank, f.rule, f.key or "", f.fingerprint))


def capsule_index(report: Report) -> dict[str, CapsuleEntry]:
    """Capsule @id to its entry."""
    return {entry.id: entry for entry in report.capsules}


def finding_file(finding: Finding, capsules: Mapping[str, CapsuleEntry]) -> str | None:
    """The input file a finding points at: its location, else its first capsule's source."""
    if finding.location.file:
        return finding.location.file
    for capsule in finding.capsules:
        entry = capsules.get(capsule)
        if entry is not None:
            return entry.source.path
    return None


def finding_line(finding: Finding, capsules: Mapping[str, CapsuleEntry]) -> int | None:
    """The 1-based line a finding points at, when known (NDJSON line, document start)."""
    if finding.location.line is not None:
        return finding.location.line
    if finding.location.file:
        return None  # a file without a line: do not borrow a line from another document
    for capsule in finding.capsules:
        entry = capsules.get(capsule)
        if entry is not None:
            return entry.source.line
    return None


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Findings per severity, every severity present (zero when none)."""
    counts = {severity.value: 0 for severity in SEVERITIES}
    for finding in findings:
        counts[finding.severity.value] += 1
    return counts


def rule_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Findings per rule code, sorted by code."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    return dict(sorted(counts.items()))
