"""A heavy batch handed to a worker as files: the same rows back, no file left behind."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from capsule_audit.config import AuditConfig
from capsule_audit.models.records import SourceRef
from capsule_audit.rules.base import GroupKind, Member
from capsule_audit.rules.engine import Engine
from capsule_audit.rules.samples import pack_sample, sample_of
from capsule_audit.store import handover
from capsule_audit.store.chunks import Chunk
from capsule_audit.store.finding_rows import finding_rows
from capsule_audit.store.groups import GroupIndex, assemble
from capsule_audit.store.handover import file_batch, file_chunk
from capsule_audit.store.rows import member_rows
from tests.rules.capsules import NOW, capsule_id


def _text_blocks() -> GroupIndex:
    """Two TEXT_BLOCK groups of three capsules each, with their text samples."""
    index = GroupIndex()
    for n in range(1, 7):
        key = "x" if n % 2 else "y"
        member = Member(capsule_id(n), SourceRef(path="d", line=n), packed_sample=pack_sample(f"text {key}"))
        index.add(n, [], member_rows([(GroupKind.TEXT_BLOCK, key, member)], []))
    return index


def test_a_filed_batch_opens_as_the_same_rows_and_its_files_are_gone(tmp_path: Path) -> None:
    with _text_blocks() as index:
        (batch,) = index.batches(min_members=2)
        members, claims, samples = batch.members, batch.claims, batch.samples
        expected = [t.to_pylist() for t in (members, claims, samples)]
        filed = file_batch(batch, str(tmp_path))
        with pytest.raises(RuntimeError, match="taken"):
            batch.members  # noqa: B018  (its rows went to the files)
        assert filed.members == 6 and len(os.listdir(tmp_path)) == 3
        opened = filed.open()
        assert os.listdir(tmp_path) == []  # removed once mapped
        assert [t.to_pylist() for t in (opened.members, opened.claims, opened.samples)] == expected
        groups = list(assemble(opened))
    assert [(g.key, [sample_of(m) for m in g.members]) for g in groups] == [
        ("x", ["text x"] * 3),
        ("y", ["text y"] * 3),
    ]


def test_a_filed_chunk_of_findings_opens_as_the_same_tables(tmp_path: Path) -> None:
    with _text_blocks() as index:
        (batch,) = index.batches(min_members=2)
        engine = Engine(AuditConfig(now=NOW), now=NOW)
        filed = [
            finding_rows(n, (1, "text-block", "x", n + 1, 0), f)
            for n, f in enumerate(engine.check_groups(assemble(batch)))
        ]
    chunk = Chunk.of_findings(filed)
    assert chunk.tables["findings"].num_rows == 6  # three near-duplicate pairs per text
    handed = file_chunk(chunk, str(tmp_path))
    opened = handed.open()
    assert os.listdir(tmp_path) == []
    assert opened.counts == chunk.counts
    assert {name: t.to_pylist() for name, t in opened.tables.items()} == {
        name: t.to_pylist() for name, t in chunk.tables.items()
    }


def test_a_batch_that_cannot_be_written_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[int] = []
    real = pa.ipc.new_stream

    def full_after_one(sink: Any, schema: pa.Schema) -> Any:
        if written:
            raise OSError(28, "No space left on device")
        written.append(1)
        return real(sink, schema)

    monkeypatch.setattr(handover.pa.ipc, "new_stream", full_after_one)
    with _text_blocks() as index:
        (batch,) = index.batches(min_members=2)
        with pytest.raises(OSError, match="No space"):
            file_batch(batch, str(tmp_path))
    assert written == [1] and os.listdir(tmp_path) == []
