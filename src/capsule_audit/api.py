"""`audit(paths, config) -> Report`: the whole pipeline as one pure call. Never prints, never exits.

Memory: records stream through extraction and the per-capsule rules and are then dropped; what
stays is one `CapsuleMeta` per capsule, the findings, and the group members of `rules.index`,
which move to partition files on disk past `config.group_budget` members. Records are kept only
with `keep_records=True` (the JSON report's `records`), the claims only with `keep_claims=True`
(the JSON report's `claims` and each capsule entry's claim ids; the CLI keeps them for JSON only):
otherwise a claim lives only in the group index, on disk for a large dump.

With `config.jobs > 1`, extraction and the per-capsule rules run in a process pool over chunks
of records; chunks come back in input order, so the report is identical for every `jobs`.

Online verification (`verify`) runs between the streaming pass and the group pass: it needs the
cited identifiers of every capsule, and the CA70x group rules need its verdicts. It is handed the
citations the group index already holds (as ExtractedCapsule values), never the records.

The group pass reads the index once: the engine checks each group while the cluster collector
notes the citation groups the report lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import BinaryIO

from capsule_audit import __version__
from capsule_audit.clusters import ClusterCollector, clusters
from capsule_audit.config import AuditConfig
from capsule_audit.models.claims import Claim, ExtractedCapsule
from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.records import CapsuleRecord, RecordKind
from capsule_audit.models.report import CapsuleEntry, Report, RunInfo, Summary, ToolInfo
from capsule_audit.models.verdicts import Verdict
from capsule_audit.online.audit_step import cited_capsules
from capsule_audit.pipeline import FetchUrl, Processed, WorkerSpec, iter_records, process_stream
from capsule_audit.rules.base import CapsuleMeta, GroupKind
from capsule_audit.rules.engine import Engine
from capsule_audit.rules.index import GroupIndex
from capsule_audit.rules.spill import gc_paused

Progress = Callable[[int], None]
"""Called with the number of documents read so far."""
Verify = Callable[[Iterable[ExtractedCapsule]], Mapping[str, Verdict]]
"""Online verification: cited identifiers in, one verdict per identifier out."""


def audit(
    paths: Sequence[str],
    config: AuditConfig,
    *,
    stdin: BinaryIO | None = None,
    keep_records: bool = False,
    keep_claims: bool = True,
    verdicts: Mapping[str, Verdict] | None = None,
    verify: Verify | None = None,
    fetch_url: FetchUrl | None = None,
    progress: Progress | None = None,
) -> Report:
    """Load, normalize, extract, check and report on every document under `paths`.

    `config.now` fixes the audit clock and, for reproducible output, the run's start time too.
    Bad input becomes findings; only tool failures raise (CapsuleAuditError). `verdicts` are
    given ones (tests, fixtures); `verify` computes them from the extracted citations after the
    streaming pass (its answers win). `fetch_url` reads URL arguments (online mode only).
    `keep_records`/`keep_claims`: list the records/claims in the report (they cost memory).
    """
    started = config.now or datetime.now(UTC)
    now = config.now or started
    engine = Engine(config, now=now, verdicts=verdicts)
    minimums = engine.group_minimums
    # The clusters need the citation groups of two or more members whatever rules are selected.
    minimums[GroupKind.CITATION] = min(minimums.get(GroupKind.CITATION, 2), 2)
    spec = WorkerSpec(
        config=config, now=now, kinds=frozenset(minimums), keep_records=keep_records, verdicts=verdicts
    )
    kept = _Kept(keep_claims)
    findings: list[Finding] = []
    counts: dict[str, int] = {"documents": 0, "rejected": 0, RecordKind.CAPSULE: 0, RecordKind.DIGEST: 0}
    collector = ClusterCollector()
    with GroupIndex(budget=config.group_budget) as index:
        items = iter_records(paths, config, stdin=stdin, fetch_url=fetch_url)
        for item in process_stream(items, spec, jobs=config.jobs):
            counts["documents"] += 1
            if isinstance(item, Finding):
                counts["rejected"] += 1
                stamped = engine.restamp(item)
                if stamped is not None:
                    findings.append(stamped)
            else:
                kept.absorb(item, index, findings)
                counts[item.meta.kind] += 1
            if progress is not None and counts["documents"] % 256 == 0:
                progress(counts["documents"])
        if progress is not None:
            progress(counts["documents"])

        if verify is not None:
            verdicts = {
                **(verdicts or {}),
                **verify(cited_capsules(index.groups([GroupKind.CITATION], min_members=1))),
            }
            engine = Engine(config, now=now, verdicts=verdicts)
        # No cyclic collection in the group pass: rules make no cycles, and with the whole dump
        # in memory (or a partition just unpickled) each collection would walk millions of
        # objects again; this pass took a third less CPU without it (8,000 capsules).
        with gc_paused():
            findings.extend(engine.check_groups(collector.watch(index.groups(min_members=minimums))))
    first = engine.suppress(findings)
    final = engine.suppress([*first.findings, *engine.check_follow_up(kept.metas, first.findings)])
    return Report(
        tool=ToolInfo(version=__version__),
        run=RunInfo(
            started=started,
            now=now,
            inputs=tuple(paths),
            configuration=config.model_dump(mode="json", exclude={"jobs", "now", "group_budget"}),
            rules={r.code: r.version for r in engine.rules},
        ),
        summary=_summary(counts, kept.n_claims, final.findings),
        capsules=_entries(kept.metas, kept.claims, final.findings),
        claims=tuple(kept.claims),
        findings=final.findings,
        clusters=collector.clusters(final.findings),
        records=tuple(kept.records),
        verdicts=tuple(sorted((verdicts or {}).values(), key=lambda v: v.key)),
    )


class _Kept:
    """What the audit keeps of each processed record until the report is built."""

    def __init__(self, keep_claims: bool) -> None:
        self.keep_claims = keep_claims
        self.metas: list[CapsuleMeta] = []
        self.claims: list[Claim] = []
        self.records: list[CapsuleRecord] = []
        self.n_claims = 0

    def absorb(self, item: Processed, index: GroupIndex, findings: list[Finding]) -> None:
        """Keep the metadata (and claims, record when asked), findings; file the group entries."""
        self.metas.append(item.meta)
        self.n_claims += len(item.claims)
        if self.keep_claims:
            self.claims.extend(item.claims)
        findings.extend(item.findings)
        index.extend(item.entries)
        if item.record is not None:
            self.records.append(item.record)


def _summary(counts: Mapping[str, int], n_claims: int, findings: Sequence[Finding]) -> Summary:
    per_severity = {s.value: 0 for s in Severity}
    by_rule: dict[str, int] = {}
    for f in findings:
        per_severity[f.severity.value] += 1
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
    return Summary(
        documents=counts["documents"],
        capsules=counts[RecordKind.CAPSULE],
        digests=counts[RecordKind.DIGEST],
        rejected=counts["rejected"],
        claims=n_claims,
        findings=per_severity,
        by_rule=dict(sorted(by_rule.items())),
    )


def _entries(
    metas: Iterable[CapsuleMeta], claims: Iterable[Claim], findings: Sequence[Finding]
) -> tuple[CapsuleEntry, ...]:
    claim_ids: dict[str, list[str]] = {}
    for claim in claims:
        claim_ids.setdefault(claim.capsule, []).append(claim.id)
    involved: dict[str, list[Finding]] = {}
    for f in findings:
        for capsule in f.capsules:
            involved.setdefault(capsule, []).append(f)
    entries = []
    for meta in metas:
        own = involved.get(meta.id, [])
        worst = max(own, key=lambda f: f.severity.rank).severity.value if own else "clean"
        entries.append(
            CapsuleEntry(
                id=meta.id,
                source=meta.source,
                name=meta.name,
                date=meta.date_created,
                kind=meta.kind,
                status=worst,
                claims=tuple(claim_ids.get(meta.id, ())),
                findings=tuple(f.fingerprint for f in own),
            )
        )
    return tuple(entries)


__all__ = ["Progress", "Report", "audit", "clusters"]
