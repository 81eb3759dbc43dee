"""The group scan in batches: cut only where a group ends, each batch rebuilt from its own rows."""

from __future__ import annotations

import gc
import pickle
import weakref
from pathlib import Path
from typing import Any

import pytest

from capsule_audit.claims.extract import extract
from capsule_audit.models.records import SourceRef
from capsule_audit.rules.base import GroupKind, Member, Subject
from capsule_audit.rules.samples import pack_sample, sample_of
from capsule_audit.store import group_batches
from capsule_audit.store.database import Store
from capsule_audit.store.group_batches import GroupBatch
from capsule_audit.store.groups import GroupIndex, assemble
from capsule_audit.store.rows import MemberRows, claim_rows, member_rows
from tests.rules.capsules import capsule_id, record
from tests.store.test_shared_citations import ITEM


def _index(sizes: dict[str, int]) -> GroupIndex:
    """TITLE groups of the given sizes, one member per capsule, filed one document per capsule."""
    index = GroupIndex()
    n = 0
    for key, size in sizes.items():
        for _ in range(size):
            n += 1
            member = Member(capsule_id(n), SourceRef(path="dump.ndjson", line=n), name=key)
            index.extend([(GroupKind.TITLE, key, member)])
    return index


def _keys(batch: GroupBatch) -> list[str]:
    return list(dict.fromkeys(batch.members.column("key").to_pylist()))


def test_batches_end_only_where_a_group_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(group_batches, "BATCH_ROWS", 5)
    monkeypatch.setattr(group_batches, "FETCH_ROWS", 2)  # a group is read across several fetches
    sizes = {"a": 3, "b": 3, "c": 1, "d": 4, "e": 2}
    with _index(sizes) as index:
        batches = list(index.batches(min_members=1))
        # A batch takes whole groups until it reaches 5 rows: a+b (6), c+d (5), then the rest.
        assert [_keys(b) for b in batches] == [["a", "b"], ["c", "d"], ["e"]]
        assert [b.members.num_rows for b in batches] == [6, 5, 2]
        rebuilt = [(g.key, len(g.members)) for b in batches for g in assemble(b)]
        assert rebuilt == [(g.key, len(g.members)) for g in index.groups(min_members=1)]
        assert rebuilt == list(sizes.items())


def test_a_group_larger_than_a_batch_is_one_batch_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(group_batches, "BATCH_ROWS", 4)
    monkeypatch.setattr(group_batches, "FETCH_ROWS", 3)
    with _index({"a": 2, "giant": 11, "z": 2}) as index:
        batches = list(index.batches(min_members=1))
    assert [(_keys(b), b.members.num_rows) for b in batches] == [(["a", "giant"], 13), (["z"], 2)]
    with _index({"giant": 11, "z": 2}) as index:
        batches = list(index.batches(min_members=1))
    assert [(_keys(b), b.members.num_rows) for b in batches] == [(["giant"], 11), (["z"], 2)]


def test_a_batch_brings_the_claims_whose_rows_hold_the_tuples_its_claims_share() -> None:
    rec = record(text=ITEM)
    claims = extract(rec).claims
    # Claims 3 and 4 share claim 1's citations (`cit_from`), claim 2 claim 0's Source line (`src_from`).
    assert claims[1].citations is claims[3].citations is claims[4].citations
    assert claims[0].item_sources is claims[2].item_sources
    asked = (claims[2], claims[3], claims[4])
    # Members naming the sharing claims only: the owners' rows are in no group of the batch.
    index = GroupIndex()
    entries = [(GroupKind.ACRONYM, "MA", Member(rec.id, rec.source, claim=c)) for c in asked]
    index.add(1, claim_rows(claims), member_rows(entries, claims))  # the capsule's every claim
    with index:
        (batch,) = index.batches(min_members=1)
    assert batch.claims.column("pos").to_pylist() == [0, 1, 2, 3, 4]
    # The store is closed: the batch is rebuilt from its own rows, after a trip as bytes.
    (group,) = assemble(GroupBatch.from_wire(batch.to_wire()))
    assert [m.claim for m in group.members] == sorted(asked, key=lambda c: c.id)  # member order
    rebuilt = {m.claim.id: m.claim for m in group.members if m.claim is not None}
    third, fourth = rebuilt[claims[3].id], rebuilt[claims[4].id]
    assert third.citations is fourth.citations
    assert [c.key for c in third.citations] == [c.key for c in claims[1].citations]
    assert [c.key for c in rebuilt[claims[2].id].item_sources] == ["url:https://example.org/alpha"]


def test_every_group_of_an_audit_subject_comes_back_whole_in_small_batches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from capsule_audit.rules.index import members_for

    subjects = [Subject(record=r, extracted=extract(r)) for r in (record(1, text=ITEM), record(2, text=ITEM))]
    with GroupIndex() as index:
        for subject in subjects:
            index.extend(members_for(subject, frozenset(GroupKind)))
        whole = list(index.groups(min_members=1))
        monkeypatch.setattr(group_batches, "BATCH_ROWS", 3)
        monkeypatch.setattr(group_batches, "FETCH_ROWS", 2)
        batched = list(index.groups(min_members=1))
    assert len(whole) > 5 and batched == whole


def test_a_text_sample_is_filed_once_per_capsule_and_fetched_with_the_batch_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(group_batches, "BATCH_ROWS", 2)
    texts = {"x": "the same template text about reward models", "y": "another text about curricula"}
    with GroupIndex() as index:
        for n, (key, text) in enumerate(sorted(texts.items()) * 2, start=1):
            sample = pack_sample(text)
            bands = [
                (
                    GroupKind.TEXT_BLOCK,
                    f"{band}:{key}",
                    Member(capsule_id(n), SourceRef(path="d"), packed_sample=sample),
                )
                for band in range(3)
            ]
            rows = member_rows(bands, [])
            # the three bands' members name one sample row: the sort never carries the text
            assert [seq for seq, _, _ in rows.samples] == [0]
            assert {row[17] for row in rows.members} == {0}
            index.add(n, [], rows)
        index.flush()
        assert index.store.con.execute("SELECT count(*) FROM samples").fetchone() == (4,)
        batches = list(index.batches(min_members=2))
        # each batch fetched the samples of its own members' documents, no others
        for batch in batches:
            assert set(batch.samples.column("doc").to_pylist()) == set(
                batch.members.column("doc").to_pylist()
            )
        groups = [g for b in batches for g in assemble(b)]
    assert len(groups) == 6  # three bands of two texts, each shared by two capsules
    for group in groups:
        assert {sample_of(m) for m in group.members} == {texts[group.key.split(":")[1]]}


def _giant_group(index: GroupIndex, kind: str, key: str, n: int, text: str) -> None:
    for doc in reversed(range(1, n + 1)):  # filed out of order
        claim = (0, f"c{doc}", f"capsule-{doc}", "findings", False, text, (0, 5), False, None)
        claim += (("Reward Modeling", "RM"), [], [], [], [], [], None, None)
        member = (kind, key, 0, f"capsule-{doc}", f"c{doc}", "", None, "d", doc, None, "")
        member += (0, None, None, None, None, None, None, [])
        index.add(doc, [claim], MemberRows([member], []))
        if doc % 500 == 0:
            index.flush()  # in steps the store's memory holds


def test_a_giant_group_fetches_more_claims_than_the_store_memory_holds(tmp_path: Path) -> None:
    # One ACRONYM group of 3,000 claims of ~8 KB each (24 MB) under a 16 MB store: the batch
    # fetches them all (at 1,000,000 synthetic capsules, 750,000), and DuckDB's sort of rows
    # that wide ran out of its memory; they are put in order where the batch is held.
    n, text = 3000, "reward models " * 600
    with GroupIndex(Store(str(tmp_path), memory_limit="16MB")) as index:
        _giant_group(index, "acronym", "RM", n, text)
        (batch,) = index.batches(min_members=2)
        assert batch.claims.column("doc").to_pylist() == list(range(1, n + 1))  # (doc, pos) order
        (group,) = assemble(batch)
    assert [m.claim.id for m in group.members if m.claim] == [
        f"c{doc}" for doc in sorted(range(1, n + 1), key=lambda d: f"capsule-{d}")
    ]


def test_a_giant_method_groups_credits_are_read_under_the_store_memory(tmp_path: Path) -> None:
    # The same as one METHOD group: its credits carry every claim's quote (24 MB), sorted narrow
    # and looked up after (`store.method_scan`); joined or sorted wide, they ran out of memory.
    n, text = 3000, "reward models " * 600
    with GroupIndex(Store(str(tmp_path), memory_limit="16MB")) as index:
        _giant_group(index, "method", "rm", n, text)
        (group,) = index.groups(min_members=2)
    assert (group.kind, group.size, group.members) == (GroupKind.METHOD, n, ())
    assert [c.claim.id for c in group.credits] == [
        f"c{doc}" for doc in sorted(range(1, n + 1), key=lambda d: f"capsule-{d}")
    ]
    assert {c.claim.quote for c in group.credits} == {text}


def test_a_batch_gets_the_same_claim_rows_looked_up_alone_or_in_a_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from capsule_audit.rules.index import members_for

    records = [record(n, text=ITEM) for n in range(1, 5)]
    monkeypatch.setattr(group_batches, "BATCH_ROWS", 3)
    with GroupIndex() as index:
        for r in records:
            index.extend(members_for(Subject(record=r, extracted=extract(r)), frozenset(GroupKind)))
        monkeypatch.setattr(group_batches, "RUN_ROWS", 1)  # each batch looked up alone
        alone = list(index.batches(min_members=1))
        monkeypatch.setattr(group_batches, "RUN_ROWS", 10**9)  # one look-up for every batch
        together = list(index.batches(min_members=1))
    assert len(alone) > 5 and len({b.claims.num_rows for b in alone}) > 1
    assert [b.claims for b in together] == [b.claims for b in alone]  # its own rows, not the run's


def test_a_runs_claims_are_let_go_of_before_its_last_batch_is_handed_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A giant group is a run of its own: its claim rows held by the run beside the batch's copy
    # of them were its claims in memory twice.
    monkeypatch.setattr(group_batches, "BATCH_ROWS", 2)
    monkeypatch.setattr(group_batches, "RUN_ROWS", 4)
    watched: list[weakref.ref[group_batches.RunClaims]] = []

    class Watched(group_batches.RunClaims):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            watched.append(weakref.ref(self))

    monkeypatch.setattr(group_batches, "RunClaims", Watched)
    with _index({"a": 2, "b": 2, "c": 2, "d": 2, "e": 2}) as index:
        alive = []
        for batch in index.batches(min_members=1):
            gc.collect()
            alive.append((_keys(batch), [n for n, ref in enumerate(watched) if ref() is not None]))
    # Runs of 4 rows: (a, b), (c, d), (e); only a run whose last batch is not yet out is held.
    assert alive == [(["a"], [0]), (["b"], []), (["c"], [1]), (["d"], []), (["e"], [])]


def test_a_batch_is_rebuilt_once_its_rows_taken_by_the_rebuild() -> None:
    # The rebuild takes the rows so that no caller up the stack holds them while rules run.
    with _index({"a": 2, "b": 3}) as index:
        (batch,) = index.batches(min_members=1)
        again = GroupBatch(batch.members, batch.claims, batch.samples)
        assert [(g.key, len(g.members)) for g in assemble(batch)] == [("a", 2), ("b", 3)]
        with pytest.raises(RuntimeError, match="taken"):
            batch.members  # noqa: B018
        with pytest.raises(RuntimeError, match="taken"):
            list(assemble(batch))
        assert [(g.key, len(g.members)) for g in assemble(again)] == [("a", 2), ("b", 3)]


def test_each_kind_is_scanned_on_its_own_in_kind_order(monkeypatch: pytest.MonkeyPatch) -> None:
    # One sort per kind: DuckDB held every kind's spilled rows until the one scan was read.
    monkeypatch.setattr(group_batches, "BATCH_ROWS", 10**6)  # else one batch would hold them all
    with GroupIndex() as index:
        for n in range(1, 7):
            member = Member(capsule_id(n), SourceRef(path="dump.ndjson", line=n), name="t")
            index.extend(
                [(GroupKind.TITLE, f"t{n % 2}", member), (GroupKind.CAPSULE_ID, f"c{n % 3}", member)]
            )
        batches = [[(g.kind.value, g.key, len(g.members)) for g in assemble(b)] for b in index.batches()]
    assert batches == [
        [("capsule-id", "c0", 2), ("capsule-id", "c1", 2), ("capsule-id", "c2", 2)],
        [("title", "t0", 3), ("title", "t1", 3)],
    ]


def test_a_pickled_batch_is_handed_over() -> None:
    # Sent to a worker, the batch's rows are let go of once its bytes are made.
    with _index({"a": 2, "b": 3}) as index:
        (batch,) = index.batches(min_members=1)
        sent = pickle.dumps(batch)
        with pytest.raises(RuntimeError, match="taken"):
            batch.members  # noqa: B018
        received = pickle.loads(sent)
        assert [(g.key, len(g.members)) for g in assemble(received)] == [("a", 2), ("b", 3)]
