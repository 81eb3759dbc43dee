"""The streaming half of an audit: records in, per-capsule results out, in input order.

Each record is extracted, checked by the CAPSULE rules and reduced to what the rest of the audit
needs (`Processed`): its metadata without text, its findings, and its claims and group entries
as plain rows for the store (`store.rows`).
With `jobs > 1` chunks of records go to a process pool; `imap` returns them in input order, so
the output does not depend on `jobs`. A dump that fits in one chunk never starts a pool.
"""

from __future__ import annotations

import importlib
import multiprocessing
import signal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, islice
from typing import BinaryIO, Protocol, cast

from capsule_audit import interrupts
from capsule_audit.config import AuditConfig
from capsule_audit.models.claims import ExtractedCapsule
from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord
from capsule_audit.models.verdicts import Verdict
from capsule_audit.rules.base import CapsuleMeta, GroupKind, Subject
from capsule_audit.rules.engine import Engine
from capsule_audit.rules.index import members_for
from capsule_audit.store import codec
from capsule_audit.store.rows import ClaimRow, MemberRow, claim_row, member_rows

CHUNK = 256
"""Records per task sent to a worker: large enough to amortize pickling, small enough to stream."""


FetchUrl = Callable[[str], bytes]
"""Reads a URL argument (`online.forge.make_fetch_url`); given only in online mode."""


class IterRecords(Protocol):
    def __call__(
        self,
        paths: Sequence[str],
        config: AuditConfig,
        *,
        stdin: BinaryIO | None = None,
        fetch_url: FetchUrl | None = None,
    ) -> Iterator[CapsuleRecord | Finding]: ...


Extract = Callable[[CapsuleRecord], ExtractedCapsule]


def iter_records(
    paths: Sequence[str],
    config: AuditConfig,
    *,
    stdin: BinaryIO | None = None,
    fetch_url: FetchUrl | None = None,
) -> Iterator[CapsuleRecord | Finding]:
    """Load and normalize: one item per document (a record, or its CA0xx rejection).

    URL arguments need `fetch_url`; without it they are a UsageError (no socket is opened).
    """
    module = importlib.import_module("capsule_audit.normalize")  # late: built by another module
    return cast(IterRecords, module.iter_records)(paths, config, stdin=stdin, fetch_url=fetch_url)


def default_extract() -> Extract:
    """`capsule_audit.claims.extract`."""
    return cast(Extract, importlib.import_module("capsule_audit.claims").extract)


@dataclass(frozen=True, slots=True)
class Processed:
    """One record after extraction and the per-capsule rules: all the audit keeps of it."""

    meta: CapsuleMeta
    claims: list[ClaimRow]
    findings: tuple[Finding, ...]
    members: list[MemberRow]
    record: CapsuleRecord | None


@dataclass(frozen=True)
class WorkerSpec:
    """Everything a worker needs to rebuild the engine (rules hold functions: not sent)."""

    config: AuditConfig
    now: datetime
    kinds: frozenset[GroupKind]
    keep_records: bool = False
    verdicts: Mapping[str, Verdict] | None = None


class Processor:
    """Extraction, CAPSULE rules and group entries for one record at a time."""

    def __init__(self, spec: WorkerSpec, extract: Extract | None = None) -> None:
        self.spec = spec
        self.engine = Engine(spec.config, now=spec.now, verdicts=spec.verdicts)
        self.extract = extract or default_extract()

    def process(self, record: CapsuleRecord) -> Processed:
        """Everything the audit keeps of one record."""
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
        return Processed(
            meta=meta,
            claims=[claim_row(n, claim) for n, claim in enumerate(claims)],
            findings=(*findings, *self.engine.check_capsule(subject)),
            members=member_rows(members_for(subject, self.spec.kinds), claims),
            record=record if self.spec.keep_records else None,
        )

    def run(self, chunk: Sequence[CapsuleRecord | Finding]) -> list[Processed | Finding]:
        """A chunk in order; rejections pass through."""
        return [item if isinstance(item, Finding) else self.process(item) for item in chunk]


_processor: Processor | None = None  # one per worker process


def _init_worker(spec: WorkerSpec) -> None:
    global _processor
    # The main process handles an interruption and ends the pool; a forked worker would
    # otherwise inherit its handler and print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _processor = Processor(spec)


def _run_chunk(chunk: bytes) -> bytes:
    # Chunks and results cross the process boundary in the spill codec (models as field dicts,
    # rebuilt unvalidated): pydantic's own pickling of the results cost the main process about
    # what the worker saved it.
    assert _processor is not None, "worker not initialized"
    return codec.dumps(_processor.run(codec.loads(chunk)))


def _chunks(items: Iterable[CapsuleRecord | Finding], size: int) -> Iterator[list[CapsuleRecord | Finding]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def process_stream(
    items: Iterable[CapsuleRecord | Finding],
    spec: WorkerSpec,
    *,
    jobs: int = 1,
    chunk_size: int | None = None,
    extract: Extract | None = None,
) -> Iterator[Processed | Finding]:
    """Process every item in input order, in `jobs` processes when there is more than one chunk."""
    chunks = _chunks(items, chunk_size or CHUNK)
    head = list(islice(chunks, 2))
    if jobs <= 1 or len(head) < 2:
        processor = Processor(spec, extract)
        for chunk in chain(head, chunks):
            yield from processor.run(chunk)
        return
    # fork: workers inherit the imported modules (fast start); spawn where fork does not exist.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with context.Pool(jobs, initializer=_init_worker, initargs=(spec,)) as pool:
        results = pool.imap(_run_chunk, map(codec.dumps, chain(head, chunks)))
        while True:
            # Waited for in short steps with signals held (`interrupts`): an interruption is
            # raised here, between two waits, never inside the pool's own locking.
            with interrupts.deferred():
                try:
                    result = results.next(timeout=0.2)
                except StopIteration:
                    return
                except multiprocessing.TimeoutError:
                    continue
            yield from codec.loads(result)
