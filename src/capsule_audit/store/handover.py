"""A giant group's rows handed between processes through files, not through the pool's pipe.

Sent through the pipe, a table is in the sending process twice at its peak, beside its rows:
their Arrow IPC bytes (`GroupBatch.to_wire`, `Chunk.to_wire`) and the pickled message
`multiprocessing` makes of them (it pickles into a `BytesIO`); and in the receiving one twice
too, the message read and the bytes unpickled from it. The synthetic 1,000,000-capsule dump's
text-block group is one batch of ~575 MB, and sending it was the main process's peak (2,551 MiB,
2026-12-08); the title group's findings, a CA104 finding quoting every capsule, came back as
hundreds of MB more. Written as Arrow IPC files in the store's directory, the rows are in the
sender once; the receiver maps the files (Arrow reads an uncompressed IPC stream from a memory
map without a copy) and removes them, so their disk is freed once it lets go of the rows. The
price is that disk, for as long as the rows are out; the store's directory is removed with the
store, so an interrupted audit leaves none behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

from capsule_audit.store.chunks import SCHEMAS, Chunk, Counts
from capsule_audit.store.group_batches import GroupBatch


@dataclass(frozen=True, slots=True)
class FiledBatch:
    """A batch written to files (`file_batch`), to be opened once, by the worker checking it."""

    paths: tuple[str, ...]
    members: int
    """Its member rows (what decides how many slots of the window it takes)."""

    def open(self) -> GroupBatch:
        """The batch, its rows mapped from the files, which are removed."""
        members, claims, samples = _read(self.paths)
        return GroupBatch(members, claims, samples)


@dataclass(frozen=True, slots=True)
class FiledChunk:
    """A chunk of findings written to files (`file_chunk`), to be opened once, by the parent."""

    paths: tuple[str, ...]
    counts: Counts

    def open(self) -> Chunk:
        """The chunk, its tables mapped from the files, which are removed."""
        return Chunk(self.counts, dict(zip(SCHEMAS, _read(self.paths), strict=True)))


def file_batch(batch: GroupBatch, directory: str) -> FiledBatch:
    """Write the batch's rows to files in `directory` and take them out of it (`GroupBatch.take`)."""
    members = batch.members.num_rows
    return FiledBatch(_write(batch.take(), directory, "batch"), members)


def file_chunk(chunk: Chunk, directory: str) -> FiledChunk:
    """Write the chunk's tables to files in `directory`."""
    return FiledChunk(_write([chunk.tables[name] for name in SCHEMAS], directory, "found"), chunk.counts)


def _write(tables: Sequence[pa.Table], directory: str, prefix: str) -> tuple[str, ...]:
    paths: list[str] = []
    try:
        for table in tables:
            handle, path = tempfile.mkstemp(prefix=f"{prefix}-", suffix=".arrows", dir=directory)
            paths.append(path)
            with os.fdopen(handle, "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
    except BaseException:
        for path in paths:  # a full disk, an interruption: no file is left behind
            os.unlink(path)
        raise
    return tuple(paths)


def _read(paths: Sequence[str]) -> list[pa.Table]:
    # The maps outlive their files: Arrow's buffers keep them until the rows are let go of.
    tables = []
    for path in paths:
        with pa.memory_map(path) as source:
            tables.append(pa.ipc.open_stream(source).read_all())
        with contextlib.suppress(PermissionError):  # Windows keeps a mapped file: the store's
            os.unlink(path)  # directory is removed with the store
    return tables
