"""The stream: documents are normalized where they are processed, and with jobs > 1 only a bounded
number of chunks is out at once, however slowly the rows are taken."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from capsule_audit import pipeline, workers
from capsule_audit.config import AuditConfig
from capsule_audit.loading.documents import JsonDocument
from capsule_audit.models.claims import ExtractedCapsule
from capsule_audit.models.records import CapsuleRecord, SourceRef
from capsule_audit.normalize import normalize_document
from capsule_audit.pipeline import Processor, WorkerSpec, process_stream
from capsule_audit.rules.base import GroupKind
from tests.rules.capsules import NOW, capsule_id, citation, claim, record

SPEC = WorkerSpec(config=AuditConfig(now=NOW), now=NOW, kinds=frozenset(GroupKind))


def _extract(rec: CapsuleRecord) -> ExtractedCapsule:
    c = claim(rec.id, f"{rec.name} works.", cites=(citation("arxiv:2604.01234"),), method=rec.name)
    return ExtractedCapsule(capsule=rec.id, claims=(c,))


def _document(n: int) -> JsonDocument:
    value = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": capsule_id(n),
        "name": f"Capsule {n}",
        "text": "## Key Findings\n- We propose Alpha, which cites arXiv:2604.01234.\n",
    }
    return JsonDocument(source=SourceRef(path="dump.ndjson", line=n), value=value)


def test_a_document_gives_the_rows_of_its_normalized_records() -> None:
    processor = Processor(SPEC)
    documents = [_document(n) for n in (1, 2)]
    units = [unit for doc in documents for unit in normalize_document(doc, SPEC.config)]
    from_documents, from_records = processor.run(documents), processor.run(units)
    assert from_documents.counts == from_records.counts and from_documents.counts.capsules == 2
    for name, table in from_documents.tables.items():
        assert table.equals(from_records.tables[name]), name


def test_jobs_hold_a_bounded_number_of_chunks_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "default_extract", lambda: _extract)  # forked workers inherit it
    pulled = 0

    def records() -> Iterator[CapsuleRecord]:
        nonlocal pulled
        for n in range(1, 41):
            pulled += 1
            yield record(n, name=f"M{n}")

    jobs, taken, outstanding = 2, 0, []
    for chunk in process_stream(records(), SPEC, jobs=jobs, chunk_size=1):
        outstanding.append(pulled - taken)  # read from the input but not yet handed back
        taken += chunk.counts.documents
    assert taken == 40
    assert max(outstanding) <= workers.AHEAD * pipeline.WINDOW * jobs


def test_jobs_hand_back_the_rows_one_job_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "default_extract", lambda: _extract)
    items = [record(n, name=f"M{n % 3}") for n in range(1, 8)]
    one = list(process_stream(items, SPEC, jobs=1, chunk_size=3))
    two = list(process_stream(items, SPEC, jobs=2, chunk_size=3))
    assert [c.counts for c in one] == [c.counts for c in two]
    for a, b in zip(one, two, strict=True):
        assert all(a.tables[name].equals(b.tables[name]) for name in a.tables)
