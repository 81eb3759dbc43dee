"""An audit result seen through `--baseline` and `--focus`, still streamed from the store.

The one place both options are applied (the CLI, the API and the tests all come here): a CI job
gating a new batch against a large corpus needs both without holding the corpus's findings, so
this view reads the result's findings and applies them on the fly:
- findings: only those involving a focused capsule or file, each marked `new` or `baseline`;
- summary and baseline counts: recounted over what is kept (one pass, on creation);
- stale baseline entries: accepted fingerprints that no finding of the whole audit has;
- capsule entries: joined again with the kept findings (their status is their worst kept one);
- clusters: those with a focused capsule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from capsule_audit.focus import involves, is_under
from capsule_audit.models.claims import Claim
from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord
from capsule_audit.models.report import (
    BaselineEntry,
    BaselineInfo,
    CapsuleEntry,
    Cluster,
    RunInfo,
    Summary,
    ToolInfo,
)
from capsule_audit.models.verdicts import Verdict
from capsule_audit.reporters.common import SEVERITIES
from capsule_audit.store.capsules import Entries
from capsule_audit.store.database import Store
from capsule_audit.store.result import AuditResult


class Narrowed:
    """What the CI options make of an audit result: a report source like it (see module doc)."""

    def __init__(
        self,
        result: AuditResult,
        *,
        accepted: Mapping[str, BaselineEntry] | None = None,
        baseline_path: str = "",
        focus: Sequence[str] = (),
    ) -> None:
        self.result = result
        self.accepted = accepted
        self.roots = list(focus)
        self.focused: frozenset[str] | None = None
        self.run: RunInfo = result.run
        if self.roots:
            paths = result.capsule_table.paths()
            self.focused = frozenset(capsule for capsule, path in paths if is_under(path, self.roots))
            self.run = result.run.model_copy(update={"focus": tuple(self.roots)})
        self.summary: Summary = result.summary
        self.baseline: BaselineInfo | None = None
        self._entries: Entries | None = None
        self._count(baseline_path)

    def _count(self, baseline_path: str) -> None:
        # One read of the result's findings: the counts of the kept ones, and the accepted
        # fingerprints any finding still has (stale is judged over the whole audit, not only
        # over the focus: a fixed finding is stale wherever its capsules lie).
        per_severity = {severity.value: 0 for severity in SEVERITIES}
        per_rule: dict[str, int] = {}
        total = new = 0
        seen: set[str] = set()
        for found in self.result.findings:
            if self.accepted is not None and found.fingerprint in self.accepted:
                seen.add(found.fingerprint)
            finding = self._kept(found)
            if finding is None:
                continue
            total += 1
            new += finding.baseline == "new"
            per_severity[finding.severity.value] += 1
            per_rule[finding.rule] = per_rule.get(finding.rule, 0) + 1
        if self.roots:
            counts = {"findings": per_severity, "by_rule": dict(sorted(per_rule.items()))}
            self.summary = self.summary.model_copy(update=counts)
        if self.accepted is not None:
            stale = tuple(self.accepted[fp] for fp in sorted(self.accepted) if fp not in seen)
            self.baseline = BaselineInfo(path=baseline_path, new=new, baseline=total - new, stale=stale)

    @property
    def store(self) -> Store:
        """The result's store (where the joins of the reporters go)."""
        return self.result.store

    @property
    def schema_version(self) -> str:
        return self.result.schema_version

    @property
    def tool(self) -> ToolInfo:
        return self.result.tool

    @property
    def verdicts(self) -> tuple[Verdict, ...]:
        return self.result.verdicts

    @property
    def findings(self) -> Iterable[Finding]:
        """The kept findings in report order, marked against the baseline (re-readable)."""
        return _Reread(self._findings)

    def _findings(self) -> Iterator[Finding]:
        for found in self.result.findings:
            finding = self._kept(found)
            if finding is not None:
                yield finding

    def _kept(self, finding: Finding) -> Finding | None:
        """The finding as reported (marked against the baseline), or None outside the focus."""
        if self.focused is not None and not involves(finding, self.focused, self.roots):
            return None
        if self.accepted is None:
            return finding
        state = "baseline" if finding.fingerprint in self.accepted else "new"
        return finding.model_copy(update={"baseline": state})

    @property
    def capsules(self) -> Iterable[CapsuleEntry]:
        """Every capsule entry; with a focus, listing only the kept findings (in report order)."""
        if self.focused is None:
            return self.result.capsules
        if self._entries is None:  # as the result joins its own, with the kept findings
            listed = self.result.claims_kept.listed
            self._entries = Entries(self.result.capsule_table, self.findings, with_claims=listed)
        return self._entries

    @property
    def clusters(self) -> Iterable[Cluster]:
        if self.focused is None:
            return self.result.clusters
        focused = self.focused
        return _Reread(
            lambda: (c for c in self.result.clusters if any(m.capsule in focused for m in c.members))
        )

    @property
    def claims(self) -> Iterable[Claim]:
        return self.result.claims

    @property
    def records(self) -> Iterable[CapsuleRecord]:
        return self.result.records


class _Reread:
    """An iterable that calls `make` anew for every iteration."""

    def __init__(self, make: Callable[[], Iterator[Any]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[Any]:
        return self._make()
