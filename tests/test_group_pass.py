"""The group pass: the same findings rows, in the same order, checked in one process or a pool."""

from __future__ import annotations

import gc
import os
import sys
import weakref
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from capsule_audit import group_pass, workers
from capsule_audit.claims.extract import extract
from capsule_audit.config import AuditConfig
from capsule_audit.group_pass import GroupSpec, group_findings
from capsule_audit.rules.base import Group, GroupKind, Subject
from capsule_audit.rules.engine import Engine
from capsule_audit.rules.index import members_for
from capsule_audit.store import group_batches
from capsule_audit.store.chunks import Chunk
from capsule_audit.store.groups import GroupIndex
from capsule_audit.store.handover import FiledChunk
from tests.rules.capsules import NOW, capsule_id, record

SPEC = GroupSpec(config=AuditConfig(now=NOW), now=NOW)
METHODS = ("Alpha Net (AN)", "Beta Flow (BF)", "Gamma Search (GS)")


def _text(n: int) -> str:
    """Capsule n credits arXiv:2601.0000{n % 4} to one of three methods: conflicts across capsules."""
    name = METHODS[n % 3]
    acronym = name[name.index("(") + 1 : -1]
    return f"## Methods\n\n1. **{name}**\n   {acronym} holds arXiv:2601.0000{n % 4}.\n"


def _index() -> GroupIndex:
    index = GroupIndex()
    for n in range(1, 25):
        rec = record(n, text=_text(n), name=f"Capsule {n}")
        index.extend(members_for(Subject(record=rec, extracted=extract(rec)), frozenset(GroupKind)))
    return index


def _rows(chunks: list[Chunk]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for chunk in chunks:
        rows += chunk.tables["findings"].to_pylist()
    return rows


def test_one_job_and_two_file_the_same_findings_rows_in_the_same_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(group_batches, "BATCH_ROWS", 8)  # many batches: the pool is used
    pools: list[int] = []
    opened: Callable[..., Any] = workers.open_pool

    def spy(jobs: int, *args: Any) -> Any:
        pools.append(jobs)
        return opened(jobs, *args)

    monkeypatch.setattr(workers, "open_pool", spy)
    minimums = Engine(SPEC.config, now=NOW).group_minimums
    with _index() as index:
        one = list(group_findings(index, SPEC, min_members=minimums, jobs=1))
        assert pools == []
        two = list(group_findings(index, SPEC, min_members=minimums, jobs=2))
    assert pools == [2] and len(one) > 3
    assert [c.counts for c in one] == [c.counts for c in two]
    for a, b in zip(one, two, strict=True):
        for name, table in a.tables.items():
            assert table.equals(b.tables[name]), name
    rows = _rows(one)
    # arXiv:2601.00001 is credited to Beta Flow (capsules 1, 13), Gamma Search (5, 17) and
    # Alpha Net (9, 21): one conflict naming them all.
    conflicts = [r for r in rows if r["rule"] == "CA401" and r["key"] == "arxiv:2601.00001"]
    assert [r["capsules"] for r in conflicts] == [[capsule_id(n) for n in (1, 5, 9, 13, 17, 21)]]
    # The tie-break: (kind, key) of the group, then the order found within each batch's chunk.
    ranks = [(r["t_kind"], r["t_key"]) for r in rows]
    assert ranks == sorted(ranks)
    assert all(r["phase"] == 1 for r in rows)


def test_heavy_batches_go_to_the_workers_as_files_with_the_same_findings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(group_batches, "BATCH_ROWS", 8)
    monkeypatch.setattr(group_pass, "HEAVY_ROWS", 6)  # most batches are heavy
    filed: list[int] = []
    real = group_pass.file_batch

    def spy(batch: Any, directory: str) -> Any:
        handed = real(batch, directory)
        filed.append(handed.members)
        return handed

    monkeypatch.setattr(group_pass, "file_batch", spy)
    came_back: list[bool] = []  # per chunk of findings: whether it came back as files
    taken = group_pass._taken_back

    def back(result: Any) -> Any:
        came_back.append(isinstance(result, FiledChunk))
        return taken(result)

    monkeypatch.setattr(group_pass, "_taken_back", back)
    minimums = Engine(SPEC.config, now=NOW).group_minimums
    with _index() as index:
        one = list(group_findings(index, SPEC, min_members=minimums, jobs=1))
        assert filed == [] and came_back == []  # one job: nothing leaves this process
        two = list(group_findings(index, SPEC, min_members=minimums, jobs=2))
        left = [n for n in os.listdir(index.store.directory) if n.startswith(("batch-", "found-"))]
    assert len(filed) > 3 and all(rows >= 6 for rows in filed)
    assert True in came_back and False in came_back  # heavy chunks as files, light ones as bytes
    assert left == []
    assert _found(_rows(one)) == _found(_rows(two))


def test_only_the_findings_naming_a_capsule_of_the_batch_are_kept() -> None:
    minimums = Engine(SPEC.config, now=NOW).group_minimums
    only = frozenset({capsule_id(4)})
    with _index() as index:
        every = _rows(list(group_findings(index, SPEC, min_members=minimums)))
        spec = GroupSpec(config=SPEC.config, now=NOW, only=only)
        kept = _rows(list(group_findings(index, spec, min_members=minimums)))
    assert kept and len(kept) < len(every)
    assert _found(kept) == _found([r for r in every if capsule_id(4) in r["capsules"]])


def test_a_batchs_last_group_is_checked_with_none_of_its_rows_alive(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A giant group is its batch's last: its Arrow rows (~60-80 MB at 100,000 capsules) were
    # held by the scan, the loop and the checker while its rules ran.
    monkeypatch.setattr(group_batches, "BATCH_ROWS", 8)
    monkeypatch.setattr(group_batches, "RUN_ROWS", 16)  # claims looked up for runs of ~2 batches
    last_of: dict[tuple[str, str], list[weakref.ref[Any]]] = {}  # a batch's last group -> its tables

    class Watched(group_batches.GroupBatch):
        __slots__ = ()

        def __init__(self, *tables: Any) -> None:
            super().__init__(*tables)
            members = tables[0]
            last = (members.column(0)[-1].as_py(), members.column(1)[-1].as_py())
            # (A batch naming no text sample shares one empty table: not its rows.)
            last_of[last] = [weakref.ref(t) for t in tables if t.num_rows]

    monkeypatch.setattr(group_batches, "GroupBatch", Watched)
    checked = Engine.check_groups
    alive: dict[tuple[str, str], list[int]] = {}

    def spy(self: Engine, groups: Iterable[Group]) -> Any:
        (group,) = groups
        gc.collect()
        slot = (group.kind.value, group.key)
        alive[slot] = [n for n, ref in enumerate(last_of.get(slot, ())) if ref() is not None]
        return checked(self, (group,))

    monkeypatch.setattr(Engine, "check_groups", spy)
    minimums = Engine(SPEC.config, now=NOW).group_minimums
    with _index() as index:
        list(group_findings(index, SPEC, min_members=minimums, jobs=1))
    assert len(last_of) > 3
    assert {slot: alive[slot] for slot in last_of} == {slot: [] for slot in last_of}


def test_a_groups_members_and_credits_are_let_go_before_its_findings_become_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A giant group's members (or a METHOD group's credits), its findings and their rows were
    # alive at once: at 1,000,000 capsules, the largest group worker's peak.
    held: list[Any] = []  # one member or credit of the group being checked, held by the test only
    checked = Engine.check_groups

    def spy(self: Engine, groups: Iterable[Group]) -> Any:
        (group,) = groups
        held[:] = [(group.kind, group.credits[0] if group.credits else group.members[0])]
        return checked(self, (group,))

    refs: dict[GroupKind, list[int]] = {}
    made = group_pass.finding_rows

    def rows(number: int, rank: Any, finding: Any) -> Any:
        kind, one = held[0]
        # Less the test's own three: `held`'s tuple, this local and the call's argument.
        refs.setdefault(kind, []).append(sys.getrefcount(one) - 3)
        return made(number, rank, finding)

    monkeypatch.setattr(Engine, "check_groups", spy)
    monkeypatch.setattr(group_pass, "finding_rows", rows)
    minimums = Engine(SPEC.config, now=NOW).group_minimums
    with _index() as index:
        list(group_findings(index, SPEC, min_members=minimums, jobs=1))
    assert {GroupKind.METHOD, GroupKind.CITATION} <= set(refs)
    assert {kind: set(counts) for kind, counts in refs.items()} == {kind: {0} for kind in refs}


def _found(rows: list[dict[str, Any]]) -> list[tuple[str, str, tuple[str, ...], str]]:
    return [(r["rule"], r["key"], tuple(r["capsules"]), r["fingerprint"]) for r in rows]
