"""Spill files: members survive the compact pickling unchanged; files go away on close."""

from __future__ import annotations

import gc
import pickle
import zlib
from datetime import UTC, datetime

import pytest

from capsule_audit.models.claims import Binding, Citation, SourceEntry, Span
from capsule_audit.rules import spill
from capsule_audit.rules.base import GroupKind, Member
from capsule_audit.rules.spill import SpillFiles, dumps, gc_paused, partition_of
from tests.rules.capsules import citation, claim, record


def _member() -> Member:
    rec = record(1)
    cite = citation("arxiv:2604.01234", Binding.POSITIONAL)
    made = claim(rec.id, "RGO cuts cost by 18%.", cites=(cite,), method="Recursive Gradient Optimization")
    return Member(
        rec.id, rec.source, claim=made, citation=cite, name="n", date_created=datetime(2026, 4, 1, tzinfo=UTC)
    )


def test_members_round_trip_equal_with_their_fields_set() -> None:
    member = _member()
    partial = Citation(scheme="arxiv", key="arxiv:1", raw="x")  # defaults left unset
    back, again = pickle.loads(dumps([member, partial]))
    assert back == member and back.claim is not None and member.claim is not None
    assert back.claim.model_dump() == member.claim.model_dump()
    assert back.claim.model_fields_set == member.claim.model_fields_set
    assert again == partial and again.model_fields_set == {"scheme", "key", "raw"}
    assert back.claim.citations[0] is back.citation  # shared objects stay shared within a batch


def test_equal_small_values_read_back_as_one_object_across_batches() -> None:
    first, second = _member(), _member()
    (a,) = pickle.loads(dumps([first]))
    (b,) = pickle.loads(dumps([second]))  # another batch: the pickle memo cannot share these
    assert a == first and b == second
    assert a.claim is not None and b.claim is not None
    assert a.claim.span is b.claim.span and a.claim.method is b.claim.method
    assert a.claim is not b.claim  # claims themselves are not shared: their ids and texts differ in general


def test_the_table_of_shared_values_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spill, "INTERNED_MAX", 3)
    spans = [Span(start=n, end=n + 1) for n in range(10)]
    assert pickle.loads(dumps(spans)) == spans
    assert len(spill._INTERNED) <= 3


def test_spill_files_append_batches_in_order_and_clean_up() -> None:
    files = SpillFiles(2)
    member = _member()
    files.write(1, [("citation", "a", member)])
    files.write(1, [("citation", "b", member)])
    assert list(files.read(0)) == []
    assert [[k for _, k, _ in batch] for batch in files.read(1)] == [["a"], ["b"]]
    files.close()
    assert list(files.read(1)) == []


def test_partitions_are_stable_and_the_collector_is_restored() -> None:
    # crc32, not the per-process salted `hash`: the same partition in every run.
    assert partition_of(GroupKind.CITATION, "k", 1000) == zlib.crc32(b"citation\x1fk") % 1000
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    SourceEntry(index=0, raw="x", span=Span(start=0, end=1))  # models still build normally
