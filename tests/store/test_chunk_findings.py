"""Findings filed by workers, chunk by chunk, and by the parent after them: one numbering.

Each chunk numbers its findings from 0, the parent shifts them past those filed before, and its
own (group) findings number on after them: ids are unique in the `findings` table, and the list
rows of a wide finding (`finding_capsules`...) name that finding, whichever process filed it.
"""

from __future__ import annotations

import pytest

from capsule_audit import pipeline
from capsule_audit.config import AuditConfig
from capsule_audit.models.claims import ExtractedCapsule
from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord, SourceRef
from capsule_audit.pipeline import WorkerSpec, process_stream
from capsule_audit.rules.base import GroupKind
from capsule_audit.rules.input import unreadable_input
from capsule_audit.rules.stamp import input_finding
from capsule_audit.store.collect import Kept
from capsule_audit.store.database import Store
from capsule_audit.store.final import FinalFindings
from capsule_audit.store.finding_rows import INLINE_WIDTH
from tests.rules.capsules import NOW, citation, claim, record

SPEC = WorkerSpec(config=AuditConfig(now=NOW), now=NOW, kinds=frozenset(GroupKind))
CHUNKS = 3
CHUNK_SIZE = 4


def _extract(rec: CapsuleRecord) -> ExtractedCapsule:
    c = claim(rec.id, f"{rec.name} works.", cites=(citation("arxiv:2604.01234"),), method=rec.name)
    return ExtractedCapsule(capsule=rec.id, claims=(c,))


def _rejection(name: str, width: int) -> Finding:
    """A rejected document's finding naming `width` capsules (wider than a row holds past INLINE_WIDTH)."""
    f = input_finding(unreadable_input, SourceRef(path=f"{name}.json"), name, identity=name)
    return f.model_copy(update={"capsules": tuple(f"{name}-{n}" for n in range(width))})


def _items() -> list[CapsuleRecord | Finding]:
    """`CHUNKS` chunks of `CHUNK_SIZE`, each with a narrow and a wide rejection among its records."""
    items: list[CapsuleRecord | Finding] = []
    for k in range(CHUNKS):
        items += [
            record(10 * k + 1, name=f"M{k}"),
            _rejection(f"narrow{k}", 1),
            _rejection(f"wide{k}", INLINE_WIDTH + 1 + k),
            record(10 * k + 2, name=f"M{k}"),
        ]
    return items


def test_ids_are_unique_and_list_rows_name_their_finding_with_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "default_extract", lambda: _extract)  # forked workers inherit it
    items = _items()
    parents = [_rejection("group-wide", INLINE_WIDTH + 5), _rejection("group-narrow", 2)]
    store = Store()
    try:
        kept = Kept(store, keep_records=False)
        chunks = list(process_stream(items, SPEC, jobs=2, chunk_size=CHUNK_SIZE))
        assert len(chunks) == CHUNKS
        for chunk in chunks:
            kept.absorb(chunk)
        for f in parents:  # the parent's own findings, filed after the stream's
            kept.findings.add((1, "method", "k", kept.next_seq(), 0), f)
        kept.flush()

        ids = [n for (n,) in store.con.execute("SELECT id FROM findings").fetchall()]
        assert sorted(ids) == list(range(len(ids)))  # unique, none skipped
        lists = store.con.execute(
            "SELECT f.message, list(c.capsule ORDER BY c.pos) FROM finding_capsules c JOIN findings f USING (id)"
            " GROUP BY f.message"
        ).fetchall()
        orphans = store.con.execute(
            "SELECT count(*) FROM finding_capsules WHERE id NOT IN (SELECT id FROM findings)"
        )
        assert orphans.fetchone() == (0,)
        filed = [f for f in items if isinstance(f, Finding)] + parents
        wide = {f.message: list(f.capsules) for f in filed if len(f.capsules) > INLINE_WIDTH}
        assert len(wide) == CHUNKS + 1
        assert dict(lists) == wide  # every wide finding's rows, under its own id, and no other's
        back = sorted(
            (f.message, f.capsules)
            for f in FinalFindings(kept.findings, ())
            if f.rule == unreadable_input.code
        )
        assert back == sorted((f.message, f.capsules) for f in filed)
    finally:
        store.close()
