"""`audit(paths, config) -> Report`: the whole pipeline as one pure call. Never prints, never exits.

`audit_stream` is the same audit with its outcome left on disk (`store.AuditResult`), for the
CLI's streaming reporters; `audit` materializes it into a Report.

Memory: records stream through extraction and the per-capsule rules and are then dropped. Their
claims and group members go, as rows, to the audit's DuckDB store (`store.database`), which
groups, orders and joins them past its memory limit on disk; the clusters are a query over it.
So do each capsule's metadata and the findings, read back in report order, de-duplicated and
suppressed as they stream (`store.findings`); the records too, when asked for (`keep_records`,
`store.records`). So memory holds a few batches of rows and DuckDB's buffer, not the dump.

With `config.jobs > 1`, extraction and the per-capsule rules run in a process pool over chunks
of records; chunks come back in input order, so the report is identical for every `jobs`.

Online verification (`verify`) runs between the streaming pass and the group pass: it needs the
cited identifiers of every capsule, and the CA70x group rules need its verdicts. It is handed the
citations the group index already holds (as ExtractedCapsule values), never the records.

The group pass reads the index once, in batches of whole groups in (kind, key) order; with
`config.jobs > 1` the batches are checked in a process pool too (`group_pass`), and their
findings filed in scan order, so the report is again identical for every `jobs`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from capsule_audit import __version__
from capsule_audit.clusters import ClusterStream
from capsule_audit.config import AuditConfig
from capsule_audit.group_pass import GroupSpec, group_findings
from capsule_audit.loading import configured_documents
from capsule_audit.models.claims import ExtractedCapsule
from capsule_audit.models.records import RecordKind
from capsule_audit.models.report import Report, RunInfo, Summary, ToolInfo
from capsule_audit.models.verdicts import Verdict
from capsule_audit.online.audit_step import cited_capsules
from capsule_audit.pipeline import FetchUrl, WorkerSpec, process_stream
from capsule_audit.rules.base import GroupKind
from capsule_audit.rules.engine import Engine
from capsule_audit.store import corpus as corpora
from capsule_audit.store.collect import Kept, final_findings
from capsule_audit.store.database import Store
from capsule_audit.store.gc import gc_relaxed
from capsule_audit.store.result import AuditResult, StoredClaims
from capsule_audit.store.wanted import needs_by_kind

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
    with audit_stream(
        paths,
        config,
        stdin=stdin,
        keep_records=keep_records,
        keep_claims=keep_claims,
        verdicts=verdicts,
        verify=verify,
        fetch_url=fetch_url,
        progress=progress,
    ) as result:
        return result.to_report()


def audit_stream(
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
    directory: str | None = None,
    corpus: Path | None = None,
    update: bool = False,
) -> AuditResult:
    """`audit`, with the outcome in temporary files under `directory`: close the result when done.

    `corpus`: a persistent store (`store.corpus`) the dump is checked against as a batch: group
    rules see the corpus's members too, findings are those naming a batch capsule. `update`: the
    batch's rows are then added to the corpus (replacing those of capsules it already holds).
    """
    started = config.now or datetime.now(UTC)
    now = config.now or started
    engine = Engine(config, now=now, verdicts=verdicts)
    minimums = engine.group_minimums
    # The clusters need the citation groups of two or more members whatever rules are selected.
    minimums[GroupKind.CITATION] = min(minimums.get(GroupKind.CITATION, 2), 2)
    # A corpus holds every kind of member, whatever the rules of the audit that filed them.
    kinds = frozenset(GroupKind) if corpus is not None else frozenset(minimums)
    spec = WorkerSpec(config=config, now=now, kinds=kinds, keep_records=keep_records, verdicts=verdicts)
    store = Store(directory)
    try:
        offset = 0
        if corpus is not None:
            corpora.attach(store, corpus, writable=update)
            offset = corpora.doc_offset(store)
        kept = Kept(store, keep_records=keep_records, doc_offset=offset)
        index = kept.index
        index.with_corpus = corpus is not None
        items = configured_documents(paths, config, stdin=stdin, fetch_url=fetch_url)
        with gc_relaxed():
            for chunk in process_stream(items, spec, jobs=config.jobs):
                kept.absorb(chunk)
                if progress is not None:
                    progress(kept.counts["documents"])
        kept.flush()
        if progress is not None:
            progress(kept.counts["documents"])
        if corpus is not None:
            corpora.union_views(store, offset)  # the batch's capsules known: the corpus's they replace

        if verify is not None:
            verdicts = {
                **(verdicts or {}),
                **verify(cited_capsules(index.groups([GroupKind.CITATION], min_members=1))),
            }
            engine = Engine(config, now=now, verdicts=verdicts)
        only = kept.capsules.ids() if corpus is not None else None  # the batch's findings only
        group_spec = GroupSpec(config=config, now=now, verdicts=verdicts, only=only)
        for found in group_findings(
            index, group_spec, min_members=minimums, needs=needs_by_kind(engine.rules), jobs=config.jobs
        ):
            kept.absorb(found)
        kept.flush()
        final = final_findings(engine, kept.capsules, kept.findings)
        per_severity, by_rule, conflicted = final.counts()
        if corpus is not None and update:
            corpora.update(store, corpus)
        return AuditResult(
            store=store,
            tool=ToolInfo(version=__version__),
            run=RunInfo(
                started=started,
                now=now,
                inputs=tuple(paths),
                configuration=config.model_dump(mode="json", exclude={"jobs", "now"}),
                rules={r.code: r.version for r in engine.rules},
            ),
            summary=_summary(kept.counts, kept.n_claims, per_severity, by_rule),
            verdicts=tuple(sorted((verdicts or {}).values(), key=lambda v: v.key)),
            final=final,
            clusters_of=ClusterStream(store, conflicted, with_corpus=corpus is not None),
            capsule_table=kept.capsules,
            claims_kept=StoredClaims(store if keep_claims else None),
            records_kept=kept.records,
        )
    except BaseException:
        store.close()
        raise


def _summary(
    counts: Mapping[str, int], n_claims: int, per_severity: dict[str, int], by_rule: dict[str, int]
) -> Summary:
    return Summary(
        documents=counts["documents"],
        capsules=counts[RecordKind.CAPSULE],
        digests=counts[RecordKind.DIGEST],
        rejected=counts["rejected"],
        claims=n_claims,
        findings=per_severity,
        by_rule=by_rule,
    )


__all__ = ["AuditResult", "Progress", "Report", "audit", "audit_stream"]
