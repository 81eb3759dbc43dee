"""Spools: append-only sequences that move to a temporary file past a few thousand items.

`Spool` keeps items in arrival order (optionally with random access by position); `SortedSpool`
is an external merge sort: sorted runs on disk, merged lazily and stably on every iteration. A
small audit never touches the disk; a large one holds a few batches per run in memory, so its
findings, capsule entries and clusters cost disk, not memory.
"""

from __future__ import annotations

import heapq
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Generic, TypeVar

from capsule_audit import interrupts
from capsule_audit.store import codec

T = TypeVar("T")

MEMORY_ITEMS = 8192
"""Items a spool holds before it writes them to its file. Bounded either way; large enough that a
dump of a few thousand capsules never pays for pickling (a third of the audit's CPU at 512)."""
RUN_ITEMS = 16384
"""Items sorted in memory per run of a `SortedSpool`: the memory a spool costs, whatever the dump
(about 50 MiB of findings), and few merge levels for a million-capsule dump."""
MAX_RUNS = 32
"""Runs of one size merged into one run of the next size (as an LSM tree does), so that few files
are open, and few read buffers held, when the runs are merged, and each item is rewritten only
once per level."""
RUN_WEIGHT = 20_000
"""A run is also written once its items weigh this much (`weight`: about the objects an item holds),
so that a few huge items (a cluster of every capsule citing one identifier) do not wait in memory."""
BATCH = 64
"""Items per pickle in a file: the read buffer of one run while merging."""
BATCH_WEIGHT = 4096
"""A pickle is also cut once its items weigh this much, so that a reader never holds a batch of
huge items at once (at a million capsules, eight CA403 findings of 375,000 capsules each sort next
to each other: one batch of 64 would have held 400 MiB)."""
Weight = Callable[[Any], int]


class Workspace:
    """A temporary directory for spool files, made on first use and removed by `close`."""

    def __init__(self, directory: str | None = None) -> None:
        self.directory = directory
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._count = 0

    def new_path(self) -> Path:
        """A fresh file name in the workspace."""
        if self._tmp is None:
            with interrupts.deferred():  # not interrupted between mkdtemp and its owner's clean-up
                self._tmp = tempfile.TemporaryDirectory(prefix="capsule-audit-spool-", dir=self.directory)
        self._count += 1
        return Path(self._tmp.name) / f"spool-{self._count:05d}.pickle"

    def close(self) -> None:
        """Delete every spool file."""
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def batches(items: Iterable[T], weight: Weight | None) -> Iterator[list[T]]:
    """`items` in lists of BATCH items at most, and of BATCH_WEIGHT at most when weighed (but one)."""
    batch: list[T] = []
    weighed = 0
    for item in items:
        if weight is not None:
            weighed += weight(item)
        batch.append(item)
        if len(batch) >= BATCH or weighed >= BATCH_WEIGHT:
            yield batch
            batch, weighed = [], 0
    if batch:
        yield batch


class _RunFile:
    """One file of pickled batches, written once, read any number of times."""

    def __init__(self, path: Path, weight: Weight | None = None) -> None:
        self.path = path
        self.weight = weight
        self._handle: BinaryIO | None = path.open("wb")

    def write(self, items: Iterable[Any]) -> None:
        assert self._handle is not None, "run already closed"
        for batch in batches(items, self.weight):
            codec.dump(batch, self._handle)

    def finish(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __iter__(self) -> Iterator[Any]:
        self.finish()
        with self.path.open("rb") as source:
            while True:
                try:
                    batch: list[Any] = codec.load(source)
                except EOFError:
                    return
                yield from batch


class Spool(Generic[T]):
    """Items in arrival order, re-readable; past `memory_items` they move to the spool's file."""

    def __init__(
        self, workspace: Workspace, *, memory_items: int | None = None, weight: Weight | None = None
    ) -> None:
        self.workspace = workspace
        self.memory_items = memory_items or MEMORY_ITEMS
        self.weight = weight
        self._tail: list[T] = []
        self._path: Path | None = None
        self._writer: BinaryIO | None = None
        self._on_disk = 0
        self._pickles = 0  # batches written

    def __len__(self) -> int:
        return self._on_disk + len(self._tail)

    def append(self, item: T) -> None:
        """Add one item at the end."""
        self._tail.append(item)
        if len(self._tail) >= self.memory_items:
            self._flush()

    def extend(self, items: Iterable[T]) -> None:
        """Add items at the end."""
        for item in items:
            self.append(item)

    def _flush(self) -> None:
        if self._writer is None:
            self._path = self.workspace.new_path()
            self._writer = self._path.open("wb")
        for batch in batches(self._tail, self.weight):
            codec.dump(batch, self._writer)
            self._pickles += 1
        self._on_disk += len(self._tail)
        self._tail = []

    def __iter__(self) -> Iterator[T]:
        if self._writer is not None:
            self._writer.flush()
            assert self._path is not None
            with self._path.open("rb") as source:
                for _ in range(self._pickles):
                    yield from codec.load(source)
        yield from list(self._tail)

    def close(self) -> None:
        """Close the file (the workspace deletes it)."""
        if self._writer is not None:
            self._writer.close()
        self._writer = None


class SortedSpool(Generic[T]):
    """An external merge sort: add items in any order, iterate them sorted by `key`, stably."""

    def __init__(
        self,
        workspace: Workspace,
        key: Callable[[T], Any],
        *,
        run_items: int | None = None,
        weight: Callable[[T], int] | None = None,
    ) -> None:
        self.workspace = workspace
        self.key = key
        self.run_items = run_items or RUN_ITEMS
        self.weight = weight
        self._weighed = 0
        self._buffer: list[T] = []
        self._runs: list[tuple[int, _RunFile]] = []  # (level, run) in arrival order
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, item: T) -> None:
        """Add one item."""
        self._buffer.append(item)
        self._count += 1
        if self.weight is not None:
            self._weighed += self.weight(item)
        if len(self._buffer) >= self.run_items or self._weighed >= RUN_WEIGHT:
            self._spill_buffer()

    def _spill_buffer(self) -> None:
        self._buffer.sort(key=self.key)  # stable: equal keys keep their arrival order
        run = _RunFile(self.workspace.new_path(), self.weight)
        run.write(self._buffer)
        run.finish()
        self._buffer, self._weighed = [], 0
        self._runs.append((0, run))
        # Merge the trailing runs while MAX_RUNS of them share a level. They are neighbours in
        # arrival order and heapq.merge prefers the earlier run on ties, so the sort stays stable.
        while len(self._runs) >= MAX_RUNS and len({level for level, _ in self._runs[-MAX_RUNS:]}) == 1:
            level = self._runs[-1][0]
            tail = [old for _, old in self._runs[-MAX_RUNS:]]
            merged = _RunFile(self.workspace.new_path(), self.weight)
            merged.write(heapq.merge(*tail, key=self.key))
            merged.finish()
            for old in tail:
                old.path.unlink()
            self._runs[-MAX_RUNS:] = [(level + 1, merged)]

    def __iter__(self) -> Iterator[T]:
        self._buffer.sort(key=self.key)
        if not self._runs:
            yield from list(self._buffer)
            return
        yield from heapq.merge(*(run for _, run in self._runs), list(self._buffer), key=self.key)
