"""Spools give back what was put in, in order (or sorted, stably), whether on disk or not."""

from __future__ import annotations

import pytest

from capsule_audit.models.claims import Span
from capsule_audit.models.findings import Evidence, Finding, Location, Severity
from capsule_audit.store import codec, spool
from capsule_audit.store.spool import SortedSpool, Spool, Workspace


def _finding(n: int) -> Finding:
    return Finding(
        rule="CA401",
        name="conflicting-attribution",
        severity=Severity.ERROR,
        message=f"conflict {n}",
        capsules=(f"urn:c:{n}",),
        location=Location(file="f.json", span=Span(start=n, end=n + 3)),
        evidence=(Evidence(capsule=f"urn:c:{n}", text="quoted"),),
        fingerprint=f"{n:032x}",
    )


def test_models_round_trip_through_the_codec_unchanged() -> None:
    finding = _finding(7)
    back = codec.loads(codec.dumps(finding))
    assert back == finding and back.model_dump() == finding.model_dump()
    assert back.model_fields_set == finding.model_fields_set


@pytest.mark.parametrize("memory_items", [1, 3, 1000])
def test_spool_keeps_arrival_order_in_memory_and_on_disk(memory_items: int) -> None:
    with Workspace() as workspace:
        items: Spool[Finding] = Spool(workspace, memory_items=memory_items)
        items.extend(_finding(n) for n in range(10))
        assert len(items) == 10
        assert [f.message for f in items] == [f"conflict {n}" for n in range(10)]
        assert list(items) == list(items)  # re-readable
        items.close()


def test_sorted_spool_is_a_stable_sort_across_runs_and_merges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spool, "MAX_RUNS", 3)  # compaction of runs happens part-way through
    monkeypatch.setattr(spool, "BATCH", 2)
    values = [(n * 7919) % 13 for n in range(200)]
    with Workspace() as workspace:
        ordered: SortedSpool[tuple[int, int]] = SortedSpool(workspace, lambda item: item[0], run_items=9)
        for position, value in enumerate(values):
            ordered.add((value, position))
        expected = sorted(((v, p) for p, v in enumerate(values)), key=lambda item: item[0])
        assert list(ordered) == expected  # equal keys keep arrival order
        assert list(ordered) == expected and len(ordered) == 200


def test_batches_are_cut_by_weight_so_huge_items_are_read_few_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(spool, "BATCH_WEIGHT", 10)
    sizes = [1, 1, 12, 1, 4, 4, 4, 1]
    assert list(spool.batches(sizes, lambda n: n)) == [
        [1, 1, 12],
        [1, 4, 4, 4],
        [1],
    ]
    assert [len(b) for b in spool.batches(range(150), None)] == [64, 64, 22]  # count only
    loads: list[int] = []
    real_load = spool.codec.load

    def counted(source):  # type: ignore[no-untyped-def]
        batch = real_load(source)
        loads.append(len(batch))
        return batch

    monkeypatch.setattr(spool.codec, "load", counted)
    with Workspace() as workspace:
        weighed: Spool[int] = Spool(workspace, memory_items=8, weight=lambda n: n)
        weighed.extend(sizes)
        ordered: SortedSpool[int] = SortedSpool(workspace, lambda n: n, run_items=8, weight=lambda n: n)
        for n in sizes:
            ordered.add(n)
        assert list(weighed) == sizes and sorted(sizes) == list(ordered)
    assert loads and max(loads) < 8  # batches cut by weight, not only at 8 items


def test_workspace_removes_its_files() -> None:
    workspace = Workspace()
    items: Spool[int] = Spool(workspace, memory_items=1)
    items.extend(range(5))
    folder = items._path.parent if items._path else None
    assert folder is not None and folder.exists()
    items.close()
    workspace.close()
    assert not folder.exists()
