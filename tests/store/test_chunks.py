"""A chunk's rows cross to the parent unchanged, and the parent only shifts their numbers."""

from __future__ import annotations

from capsule_audit.config import AuditConfig
from capsule_audit.models.claims import ExtractedCapsule
from capsule_audit.models.records import CapsuleRecord, SourceRef
from capsule_audit.pipeline import Processor, WorkerSpec
from capsule_audit.rules.base import GroupKind
from capsule_audit.rules.input import unreadable_input
from capsule_audit.rules.stamp import input_finding
from capsule_audit.store.chunks import Chunk
from capsule_audit.store.finding_rows import INLINE_WIDTH
from tests.rules.capsules import NOW, citation, claim, record

SPEC = WorkerSpec(config=AuditConfig(now=NOW), now=NOW, kinds=frozenset(GroupKind), keep_records=True)


def _extract(rec: CapsuleRecord) -> ExtractedCapsule:
    c = claim(rec.id, f"{rec.name} works.", cites=(citation("arxiv:2604.01234"),), method=rec.name)
    return ExtractedCapsule(capsule=rec.id, claims=(c,))


def _chunk() -> Chunk:
    rejected = input_finding(unreadable_input, SourceRef(path="bad.json"), "not JSON", identity="bad")
    return Processor(SPEC, _extract).run([record(1, name="Alpha"), rejected, record(2, name="Beta")])


def test_a_chunk_counts_what_its_documents_became() -> None:
    counts = _chunk().counts
    assert (counts.documents, counts.rejected, counts.capsules, counts.digests) == (3, 1, 2, 0)
    assert (counts.claims, counts.records) == (2, 2)
    assert counts.findings >= 1  # the rejection's CA001 at least


def test_a_chunk_survives_the_trip_between_processes() -> None:
    chunk = _chunk()
    back = Chunk.from_wire(chunk.to_wire())
    assert back.counts == chunk.counts
    assert all(back.tables[name].equals(table) for name, table in chunk.tables.items())


def test_renumbering_shifts_documents_findings_and_records_only() -> None:
    chunk = _chunk()
    shifted = chunk.renumbered(documents=10, findings=40, seq=100, records=5)
    assert shifted["capsules"].column("doc").to_pylist() == [11, 13]  # the rejection was document 2
    assert shifted["claims"].column("doc").to_pylist() == [11, 13]
    assert set(shifted["members"].column("doc").to_pylist()) == {11, 13}
    assert shifted["samples"].column("doc").to_pylist() == [11, 13]  # one text sample a capsule
    first = chunk.tables["findings"].column("t_first").to_pylist()
    assert shifted["findings"].column("t_first").to_pylist() == [n + 100 for n in first]
    ids = chunk.tables["findings"].column("id").to_pylist()
    assert ids == list(range(len(ids)))  # numbered within the chunk from 0
    assert shifted["findings"].column("id").to_pylist() == [n + 40 for n in ids]
    assert shifted["records"].column("n").to_pylist() == [5, 6]
    numbered = {
        "capsules": {"doc"},
        "claims": {"doc"},
        "members": {"doc"},
        "samples": {"doc"},
        "findings": {"id", "t_first"},
    }
    for name, table in chunk.tables.items():
        rest = [c for c in table.column_names if c not in numbered.get(name, {"id", "n"})]
        assert shifted[name].select(rest).equals(table.select(rest)), name


def test_a_wide_findings_list_rows_are_renumbered_with_it() -> None:
    wide = input_finding(unreadable_input, SourceRef(path="bad.json"), "not JSON", identity="wide")
    wide = wide.model_copy(update={"capsules": tuple(f"c{n}" for n in range(INLINE_WIDTH + 1))})
    chunk = Processor(SPEC, _extract).run([record(1, name="Alpha"), wide])
    (wide_id,) = (
        n
        for n, width in enumerate(chunk.tables["findings"].column("n_capsules").to_pylist())
        if width > INLINE_WIDTH
    )
    assert set(chunk.tables["finding_capsules"].column("id").to_pylist()) == {wide_id}
    shifted = chunk.renumbered(documents=10, findings=40, seq=100, records=5)
    assert set(shifted["finding_capsules"].column("id").to_pylist()) == {wide_id + 40}
    assert shifted["finding_capsules"].column("capsule").to_pylist() == list(wide.capsules)
