"""Helpers every reporter shares: finding order, where a finding points, capsule look-ups."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, Protocol

from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.report import BaselineInfo, CapsuleEntry, Report, RunInfo, Summary, ToolInfo
from capsule_audit.models.verdicts import Verdict

SEVERITIES: tuple[Severity, ...] = (Severity.ERROR, Severity.WARNING, Severity.INFO)


class ReportSource(Protocol):
    """What the bounded formats (SARIF, GitHub) read: a Report, or an audit result on disk.

    `findings` and `capsules` may be streams: those formats read them once each, keeping only
    what they show (the worst findings up to their caps), so their memory does not grow with the dump.
    """

    @property
    def schema_version(self) -> str: ...
    @property
    def tool(self) -> ToolInfo: ...
    @property
    def run(self) -> RunInfo: ...
    @property
    def summary(self) -> Summary: ...
    @property
    def verdicts(self) -> tuple[Verdict, ...]: ...
    @property
    def baseline(self) -> BaselineInfo | None: ...
    @property
    def findings(self) -> Iterable[Finding]: ...
    @property
    def capsules(self) -> Iterable[CapsuleEntry]: ...


def importance(finding: Finding) -> tuple[int, str, str, str]:
    """The sort key of `by_importance`."""
    return (-finding.severity.rank, finding.rule, finding.key or "", finding.fingerprint)


def by_importance(findings: Iterable[Finding]) -> list[Finding]:
    """Worst first, then by rule code and fingerprint: a stable order for 'top findings' and caps."""
    return sorted(findings, key=importance)


def most_important(findings: Iterable[Finding], n: int) -> list[Finding]:
    """`by_importance(findings)[:n]`, holding n findings at most (a stable heap selection)."""
    return heapq.nsmallest(n, findings, key=importance)


class Leaders:
    """The `n` first of a stream of findings in `key` order, holding a few times n at most.

    The kept list is cut back to its n first whenever it grows past that; survivors stay ahead
    of later findings, so ties keep their input order, as in a stable sort.
    """

    def __init__(self, n: int, key: Callable[[Finding], Any] = importance) -> None:
        self.n = n
        self.key = key
        self._kept: list[Finding] = []

    def add(self, finding: Finding) -> None:
        """Offer one finding."""
        self._kept.append(finding)
        if len(self._kept) >= 4 * self.n + 64:
            self._kept = heapq.nsmallest(self.n, self._kept, key=self.key)

    def first(self) -> list[Finding]:
        """The n first offered, in `key` order."""
        return heapq.nsmallest(self.n, self._kept, key=self.key)


def worst_per_severity(findings: Iterable[Finding], n: int) -> tuple[dict[Severity, list[Finding]], int]:
    """Per severity, `most_important(...)` of its findings; and how many findings there were.

    One pass, holding a few times n findings per severity (`Leaders`).
    """
    leaders: dict[Severity, Leaders] = {}
    total = 0
    for finding in findings:
        total += 1
        found = leaders.get(finding.severity)
        if found is None:
            found = leaders[finding.severity] = Leaders(n)
        found.add(finding)
    return {severity: found.first() for severity, found in leaders.items()}, total


def capsule_index(report: Report) -> dict[str, CapsuleEntry]:
    """Capsule @id to its entry."""
    return {entry.id: entry for entry in report.capsules}


def capsules_of(source: ReportSource, shown: Iterable[Finding]) -> dict[str, CapsuleEntry]:
    """The entries of the capsules that `finding_file`/`finding_line` may consult for `shown`.

    Only findings without a file in their location need one (rare: every rule locates its
    findings); the entries are read only then, since joining them costs a pass over the dump.
    """
    return entries_named(source, {capsule for f in shown if not f.location.file for capsule in f.capsules})


def entries_named(source: ReportSource, wanted: Collection[str]) -> dict[str, CapsuleEntry]:
    """The entries of the capsules `wanted` (none read when none are wanted)."""
    return _entries(source.capsules, wanted) if wanted else {}


def _entries(capsules: Iterable[CapsuleEntry], wanted: Collection[str]) -> dict[str, CapsuleEntry]:
    # The last entry of an id wins, as in `capsule_index`.
    return {entry.id: entry for entry in capsules if entry.id in wanted}


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
