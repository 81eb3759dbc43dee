"""`audit(paths, config) -> Report`: the whole pipeline as one pure call. Never prints, never exits.

Memory: records stream through extraction and the per-capsule rules and are then dropped; what
stays is one `CapsuleMeta` per capsule, the claims (the report lists them), the findings, and the
compact group members of `rules.index`. Records themselves are kept only with
`keep_records=True` (the JSON report's `records`).

With `config.jobs > 1`, extraction and the per-capsule rules run in a process pool over chunks
of records; chunks come back in input order, so the report is identical for every `jobs`.

Online verification (`verify`) runs between the streaming pass and the group pass: it needs the
cited identifiers of every capsule, and the CA70x group rules need its verdicts. It is handed the
citations the group index already holds (as ExtractedCapsule values), never the records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import BinaryIO

from capsule_audit import __version__
from capsule_audit.config import AuditConfig
from capsule_audit.models.claims import Binding, Claim, ExtractedCapsule
from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.records import CapsuleRecord, RecordKind
from capsule_audit.models.report import (
    CapsuleEntry,
    Cluster,
    ClusterMember,
    Report,
    RunInfo,
    Summary,
    ToolInfo,
)
from capsule_audit.models.verdicts import Verdict
from capsule_audit.online.audit_step import check_single_citations, cited_capsules
from capsule_audit.pipeline import FetchUrl, Processed, WorkerSpec, iter_records, process_stream
from capsule_audit.rules.base import CapsuleMeta, Group, GroupKind
from capsule_audit.rules.engine import Engine
from capsule_audit.rules.index import GroupIndex

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
    """
    started = config.now or datetime.now(UTC)
    now = config.now or started
    engine = Engine(config, now=now, verdicts=verdicts)
    kinds = engine.group_kinds | {GroupKind.CITATION}  # the clusters need citation groups
    spec = WorkerSpec(config=config, now=now, kinds=kinds, keep_records=keep_records, verdicts=verdicts)

    index = GroupIndex()
    metas: list[CapsuleMeta] = []
    claims: list[Claim] = []
    findings: list[Finding] = []
    records: list[CapsuleRecord] = []
    counts: dict[str, int] = {"documents": 0, "rejected": 0, RecordKind.CAPSULE: 0, RecordKind.DIGEST: 0}
    items = iter_records(paths, config, stdin=stdin, fetch_url=fetch_url)
    stream = process_stream(items, spec, jobs=config.jobs)
    for item in stream:
        counts["documents"] += 1
        if isinstance(item, Finding):
            counts["rejected"] += 1
            stamped = engine.restamp(item)
            if stamped is not None:
                findings.append(stamped)
        else:
            _absorb(item, index, metas, claims, findings, records)
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
    findings.extend(engine.check_groups(index.groups(engine.group_kinds)))
    findings.extend(check_single_citations(engine, index.groups([GroupKind.CITATION], min_members=1)))
    first = engine.suppress(findings)
    final = engine.suppress([*first.findings, *engine.check_follow_up(metas, first.findings)])
    return Report(
        tool=ToolInfo(version=__version__),
        run=RunInfo(
            started=started,
            now=now,
            inputs=tuple(paths),
            configuration=config.model_dump(mode="json", exclude={"jobs", "now"}),
            rules={r.code: r.version for r in engine.rules},
        ),
        summary=_summary(counts, len(claims), final.findings),
        capsules=_entries(metas, claims, final.findings),
        claims=tuple(claims),
        findings=final.findings,
        clusters=clusters(index.groups([GroupKind.CITATION]), final.findings),
        records=tuple(records),
        verdicts=tuple(sorted((verdicts or {}).values(), key=lambda v: v.key)),
    )


def _absorb(
    item: Processed,
    index: GroupIndex,
    metas: list[CapsuleMeta],
    claims: list[Claim],
    findings: list[Finding],
    records: list[CapsuleRecord],
) -> None:
    metas.append(item.meta)
    claims.extend(item.claims)
    findings.extend(item.findings)
    index.extend(item.entries)
    if item.record is not None:
        records.append(item.record)


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


def clusters(groups: Iterable[Group], findings: Sequence[Finding]) -> tuple[Cluster, ...]:
    """Every identifier cited by more than one capsule, with what each capsule credits to it."""
    conflicted = {f.key for f in findings if f.rule.startswith("CA4") and f.key}
    out = []
    for group in groups:
        if len(group.capsules) < 2:
            continue
        members = []
        for m in group.members:
            claim, method = m.claim, (m.claim.method if m.claim else None)
            members.append(
                ClusterMember(
                    capsule=m.capsule,
                    claim=claim.id if claim else None,
                    method=method.name if method else None,
                    acronym=method.acronym if method else None,
                    institutions=claim.institutions if claim else (),
                    figures=claim.figures if claim else (),
                    binding=m.citation.binding if m.citation else Binding.LISTED,
                )
            )
        out.append(Cluster(key=group.key, members=tuple(members), conflicting=group.key in conflicted))
    return tuple(out)


__all__ = ["Progress", "Report", "audit", "clusters"]
