"""The streaming half of an audit: documents in, each chunk's rows out, in input order.

The main process reads and parses the input (`loading.configured_documents`). Each chunk of
documents is normalized, extracted, checked by the CAPSULE rules and reduced to what the rest of the audit
needs: Arrow tables of its capsules (metadata without text), findings, claims and group
entries, and of its records when they are kept (`store.chunks`).
With `jobs > 1` chunks go to a process pool and come back as Arrow IPC bytes, taken in input
order, so the output does not depend on `jobs`; with one job the same tables are built in the
main process. A dump that fits in one chunk never starts a pool.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, islice
from typing import cast

from capsule_audit.config import AuditConfig
from capsule_audit.loading.documents import Document
from capsule_audit.models.claims import ExtractedCapsule
from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord
from capsule_audit.models.verdicts import Verdict
from capsule_audit.rules.base import CapsuleMeta, GroupKind, Subject
from capsule_audit.rules.engine import Engine
from capsule_audit.rules.index import members_for
from capsule_audit.store.chunks import Chunk, ChunkBuilder, Wire
from capsule_audit.store.rows import claim_rows, member_rows
from capsule_audit.workers import spread

CHUNK = 256
"""Documents per task sent to a worker: large enough to amortize the trip, small enough to stream."""
WINDOW = 2
"""Chunks running per job (sent and not done; `workers.AHEAD` times as many out, done or not)."""


FetchUrl = Callable[[str], bytes]
"""Reads a URL argument (`online.forge.make_fetch_url`); given only in online mode."""


Extract = Callable[[CapsuleRecord], ExtractedCapsule]
Normalize = Callable[[Document, AuditConfig], Iterator[CapsuleRecord | Finding]]
Item = Document | CapsuleRecord | Finding
"""What the stream takes: a loaded document (normalized in the worker), or a unit already normalized."""


def default_extract() -> Extract:
    """`capsule_audit.claims.extract`."""
    return cast(Extract, importlib.import_module("capsule_audit.claims").extract)


@dataclass(frozen=True)
class WorkerSpec:
    """Everything a worker needs to rebuild the engine (rules hold functions: not sent)."""

    config: AuditConfig
    now: datetime
    kinds: frozenset[GroupKind]
    keep_records: bool = False
    verdicts: Mapping[str, Verdict] | None = None


class Processor:
    """Normalization, extraction, CAPSULE rules and group entries: a chunk in, its rows out."""

    def __init__(self, spec: WorkerSpec, extract: Extract | None = None) -> None:
        self.spec = spec
        self.engine = Engine(spec.config, now=spec.now, verdicts=spec.verdicts)
        self.extract = extract or default_extract()
        self.normalize = cast(
            Normalize, importlib.import_module("capsule_audit.normalize").normalize_document
        )

    def process(self, record: CapsuleRecord, rows: ChunkBuilder) -> None:
        """File everything the audit keeps of one record in `rows`."""
        subject = Subject(record=record, extracted=self.extract(record))
        meta = CapsuleMeta(
            id=record.id,
            kind=record.kind,
            source=record.source,
            name=record.name,
            properties=record.properties,
            date_created=record.date_created,
        )
        # CA004 findings of fields normalization left out (under this configuration), then the rules'
        inputs = (self.engine.restamp(finding) for finding in record.input_findings)
        findings = [finding for finding in inputs if finding is not None]
        claims = subject.extracted.claims
        rows.processed(
            meta,
            (*findings, *self.engine.check_capsule(subject)),
            claim_rows(claims),
            member_rows(members_for(subject, self.spec.kinds), claims),
            record if self.spec.keep_records else None,
        )

    def run(self, chunk: Iterable[Item]) -> Chunk:
        """A chunk's rows, in input order: documents are normalized first, rejections filed."""
        rows = ChunkBuilder()
        for unit in chain.from_iterable(map(self._units, chunk)):
            if isinstance(unit, Finding):
                rows.rejected(self.engine.restamp(unit))
            else:
                self.process(unit, rows)
        return rows.build()

    def _units(self, item: Item) -> Iterable[CapsuleRecord | Finding]:
        """The records and rejections of one item: a document is normalized, a unit is itself."""
        if isinstance(item, CapsuleRecord | Finding):
            return (item,)
        return self.normalize(item, self.spec.config)


_processor: Processor | None = None  # one per worker process


def _init_worker(spec: WorkerSpec) -> None:
    global _processor
    _processor = Processor(spec)


def _run_chunk(chunk: list[Item]) -> Wire:
    # Documents come in as parsed JSON (plain pickling of dicts and strings); rows go back as
    # Arrow IPC bytes, which the parent reads without rebuilding a Python object per value.
    assert _processor is not None, "worker not initialized"
    return _processor.run(chunk).to_wire()


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def process_stream(
    items: Iterable[Item],
    spec: WorkerSpec,
    *,
    jobs: int = 1,
    chunk_size: int | None = None,
    extract: Extract | None = None,
) -> Iterator[Chunk]:
    """Each chunk's rows in input order, built in `jobs` processes when there is more than one chunk.

    With jobs > 1 at most `WINDOW` chunks per job run at once and `workers.AHEAD` times as
    many are out (read but not yet handed back): input is read only as a worker's slot frees,
    so a slow consumer never lets the workers' results, or the documents read for them, pile up.
    """
    yield from spread(
        _chunks(items, chunk_size or CHUNK),
        jobs,
        WINDOW,
        here=lambda: Processor(spec, extract).run,
        initializer=_init_worker,
        initargs=(spec,),
        remote=_run_chunk,
        back=Chunk.from_wire,
    )
