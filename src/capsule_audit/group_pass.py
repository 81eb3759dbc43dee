"""The group pass: the GROUP rules over every group the index holds, a batch of groups at a time.

The main process reads the ordered group scan in batches of whole groups with the claim rows
they need (`store.group_batches`). Each batch is rebuilt into groups (`store.groups.assemble`),
checked by the GROUP rules and reduced to the rows of its findings (`GroupChecker`), as a chunk
of findings only (`store.chunks.Chunk.of_findings`): in the main process with one job, in a
process pool with more, the batches going out and their findings coming back as Arrow IPC bytes,
taken in scan order. Either way the findings are filed in the order of their groups' (kind, key)
and, within a group, in the order the rules found them, so the output does not depend on `jobs`.
A scan that fits in one batch never starts a pool.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from capsule_audit.config import AuditConfig
from capsule_audit.models.verdicts import Verdict
from capsule_audit.rules.engine import Engine
from capsule_audit.store.chunks import Chunk, Wire
from capsule_audit.store.finding_rows import FindingRows, finding_rows
from capsule_audit.store.gc import gc_paused
from capsule_audit.store.group_batches import BATCH_ROWS, GroupBatch
from capsule_audit.store.groups import GroupIndex, assemble
from capsule_audit.store.handover import FiledBatch, FiledChunk, file_batch, file_chunk
from capsule_audit.store.wanted import Minimums, Needs
from capsule_audit.workers import spread

WINDOW = 2
"""Batches running per job (sent and not done; `workers.AHEAD` times as many out, done or not)."""
HEAVY_ROWS = 4 * BATCH_ROWS
"""Member rows from which a batch (a giant group) takes a job's whole share of the window."""


@dataclass(frozen=True)
class GroupSpec:
    """What the group rules need besides the groups (picklable: a worker rebuilds the engine)."""

    config: AuditConfig
    now: datetime
    verdicts: Mapping[str, Verdict] | None = None
    only: frozenset[str] | None = None
    """With a corpus: only the findings naming one of these capsules (the batch's) are kept."""


class GroupChecker:
    """The GROUP rules on a batch of groups: its rows in, its findings' rows out."""

    def __init__(self, spec: GroupSpec) -> None:
        self.engine = Engine(spec.config, now=spec.now, verdicts=spec.verdicts, only=spec.only)

    def run(self, task: GroupBatch | FiledBatch) -> Chunk:
        """The findings of the batch's groups, in scan order, tie-broken by (kind, key) then order
        found. The batch is taken (`assemble` empties it): its rows are gone before its last group's
        rules run."""
        batch = task.open() if isinstance(task, FiledBatch) else task
        del task
        filed: list[FindingRows] = []
        only = self.engine.ctx.only  # rules may skip what names none of these; the rest is dropped here
        # No cyclic collection: rules make no cycles, and each collection would walk the
        # objects of a large group again.
        with gc_paused():
            for group in assemble(batch):
                # One group per call, so that no list of every group finding builds up.
                found = self.engine.check_groups((group,))
                kind, key = group.kind.value, group.key
                # The group goes before its findings become rows, and each finding once it is
                # rows: a giant group's members, its findings and their rows were alive at once.
                del group
                found.reverse()
                while found:
                    f = found.pop()
                    if only is None or not only.isdisjoint(f.capsules):
                        filed.append(finding_rows(len(filed), (1, kind, key, len(filed) + 1, 0), f))
                    del f
        return Chunk.of_findings(filed)


_checker: GroupChecker | None = None  # one per worker process
_directory = ""  # where a worker writes a heavy chunk of findings (the store's directory)


def _init_worker(spec: GroupSpec, directory: str) -> None:
    global _checker, _directory
    _checker, _directory = GroupChecker(spec), directory


def _run_batch(batch: GroupBatch | FiledBatch) -> Wire | FiledChunk:
    # The batch travels as Arrow IPC bytes (`GroupBatch.__reduce__`), a heavy one as files
    # (`store.handover`); its findings come back the same way.
    assert _checker is not None, "worker not initialized"
    found = _checker.run(batch)
    if sum(table.num_rows for table in found.tables.values()) >= HEAVY_ROWS:
        return file_chunk(found, _directory)
    return found.to_wire()


def _taken_back(result: Wire | FiledChunk) -> Chunk:
    return result.open() if isinstance(result, FiledChunk) else Chunk.from_wire(result)


def group_findings(
    index: GroupIndex, spec: GroupSpec, *, min_members: Minimums, needs: Needs | None = None, jobs: int = 1
) -> Iterator[Chunk]:
    """The findings of the index's groups of at least `min_members` holding what `needs` says, a
    chunk per batch, in scan order; checked in `jobs` processes when there is more than one batch."""
    batches = index.batches(min_members=min_members, needs=needs)
    tasks = _handed_over(batches, index.store.directory) if jobs > 1 else batches
    yield from spread(
        tasks,
        jobs,
        WINDOW,
        here=lambda: GroupChecker(spec).run,
        initializer=_init_worker,
        initargs=(spec, index.store.directory),
        remote=_run_batch,
        back=_taken_back,
        slots=_slots,
    )


def _handed_over(batches: Iterator[GroupBatch], directory: str) -> Iterator[GroupBatch | FiledBatch]:
    """The batches, a heavy one written to files in `directory` for its worker (`store.handover`)."""
    for batch in batches:
        yield file_batch(batch, directory) if batch.members.num_rows >= HEAVY_ROWS else batch
        del batch  # not held here while the worker has it


def _slots(batch: GroupBatch | FiledBatch) -> int:
    # A giant group's batch (the synthetic 1,000,000-capsule dump's title group: every capsule)
    # takes a job's share of the window, so the main process never holds one queued behind
    # busy workers: at most one per job is out.
    rows = batch.members if isinstance(batch, FiledBatch) else batch.members.num_rows
    return WINDOW if rows >= HEAVY_ROWS else 1
