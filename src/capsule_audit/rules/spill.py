"""Partition files for a group index too large for memory: a map-reduce shuffle on local disk.

Entries `(kind, key, member)` go to partition `crc32(kind, key) mod P`, so every member of one
group lands in one file; reading one partition back holds about 1/P of the members. Files are
pickles (protocol 5) written in batches, one after another, in a temporary directory removed by
`close` (or when the object is collected).

Pickling cost: the default pickling of pydantic models and frozen slot dataclasses goes through
`__getstate__`/`__setstate__` and copies their private state; here each model is reduced to the
tuple of its field values and rebuilt without validation (the values were valid when written),
and the cyclic garbage collector is paused while a partition loads: it would otherwise walk the
whole heap over and over for the millions of young objects unpickling creates.
"""

from __future__ import annotations

import gc
import io
import pickle
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel

from capsule_audit import interrupts
from capsule_audit.models.claims import Citation, Claim, Figure, MethodRef, Span
from capsule_audit.models.records import SourceRef
from capsule_audit.models.unvalidated import build
from capsule_audit.rules.base import GroupKind, Member

Spilled = tuple[str, str, Member]
"""An entry as written: the kind's value (an enum would be looked up again per load), key, member."""
Reducer = Callable[[Any], tuple[Callable[..., Any], tuple[Any, ...]]]

_MODELS: tuple[type[BaseModel], ...] = (Claim, Citation, Span, Figure, MethodRef, SourceRef)
_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {cls: tuple(cls.model_fields) for cls in _MODELS}


def _rebuild(cls: type[BaseModel], values: tuple[Any, ...], fields_set: set[str] | None = None) -> BaseModel:
    return build(cls, dict(zip(_FIELDS[cls], values, strict=True)), fields_set)


def _reduce_model(model: BaseModel) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    values = tuple(model.__dict__.values())
    fields_set = model.__pydantic_fields_set__
    if len(fields_set) == len(_FIELDS[type(model)]):
        return (_shared if type(model) in _SHARED else _rebuild), (type(model), values)
    return _rebuild, (type(model), values, fields_set)


_SHARED = frozenset({Span, MethodRef, Figure})
"""Small value models read back as one object per distinct value. Templated capsules repeat them
(the same method, the same offsets, the same figure): sharing cut a group member's memory by a
third, and a partition or a giant group is held in memory whole."""
_INTERNED: dict[tuple[type[BaseModel], tuple[Any, ...]], BaseModel] = {}
INTERNED_MAX = 100_000
"""Distinct values remembered before the table is emptied (objects in use stay alive)."""


def _shared(cls: type[BaseModel], values: tuple[Any, ...]) -> BaseModel:
    slot = (cls, values)
    found = _INTERNED.get(slot)
    if found is None:
        if len(_INTERNED) >= INTERNED_MAX:
            _INTERNED.clear()
        found = _INTERNED[slot] = _rebuild(cls, values)
    return found


def _reduce_member(m: Member) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    fields = (m.capsule, m.source, m.claim, m.citation, m.name, m.date_created, m.content_digest)
    return Member, (*fields, m.text_sample, m.packed_sample, m.astral)


_DISPATCH: dict[type, Reducer] = {cls: _reduce_model for cls in _MODELS}
_DISPATCH[Member] = _reduce_member


def dumps(obj: object) -> bytes:
    """`obj` pickled with the compact reducers above (protocol 5)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(obj)
    return buffer.getvalue()


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block (restored afterwards, if it was on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def gc_relaxed(threshold: int = 50_000) -> Iterator[None]:
    """Young-generation collections every `threshold` allocations instead of every 700.

    The streaming pass keeps many objects alive (group members, buffered findings), and with the
    default thresholds the collector walked them again and again: a fifth of the audit's CPU at
    6,000 capsules. Cycles are still collected, just in larger batches.
    """
    before = gc.get_threshold()
    gc.set_threshold(threshold, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def partition_of(kind: GroupKind, key: str, partitions: int) -> int:
    """Stable across processes and runs (str `hash` is salted per process)."""
    return zlib.crc32(f"{kind.value}\x1f{key}".encode()) % partitions


BATCH = 512
"""Entries buffered per partition before one pickle is appended to its file."""


class SpillFiles:
    """P append-only partition files of `(kind value, key, member)` batches.

    `add` buffers entries per partition and appends them BATCH at a time; `counts` tells how
    many entries each partition holds; `read` writes a partition's buffer out first.
    """

    def __init__(self, partitions: int, directory: str | None = None) -> None:
        self.partitions = partitions
        with interrupts.deferred():  # not interrupted between mkdtemp and its owner's clean-up
            self._tmp = tempfile.TemporaryDirectory(prefix="capsule-audit-groups-", dir=directory)
        self._paths = [Path(self._tmp.name) / f"part-{n:04d}.pickle" for n in range(partitions)]
        self._files: list[BinaryIO | None] = [None] * partitions
        self._pending: list[list[Spilled]] = [[] for _ in range(partitions)]
        self.counts = [0] * partitions

    def add(self, partition: int, entry: Spilled) -> None:
        """File one entry under a partition (written once BATCH of them wait)."""
        pending = self._pending[partition]
        pending.append(entry)
        self.counts[partition] += 1
        if len(pending) >= BATCH:
            self.write(partition, pending)
            self._pending[partition] = []

    def write(self, partition: int, entries: list[Spilled]) -> None:
        """Append one batch to a partition."""
        handle = self._files[partition]
        if handle is None:
            handle = self._files[partition] = self._paths[partition].open("ab")
        handle.write(dumps(entries))

    def flush(self, partition: int | None = None) -> None:
        """Write out what waits for one partition (None: for every partition)."""
        for n in range(self.partitions) if partition is None else (partition,):
            if self._pending[n]:
                self.write(n, self._pending[n])
                self._pending[n] = []

    def read(self, partition: int) -> Iterator[list[Spilled]]:
        """Every batch of one partition, in the order filed (callers pause the collector)."""
        self.flush(partition)
        handle = self._files[partition]
        if handle is None:
            return
        handle.flush()
        with self._paths[partition].open("rb") as source:
            while True:
                try:
                    batch: list[Spilled] = pickle.load(source)
                except EOFError:
                    return
                yield batch

    def close(self) -> None:
        """Close and delete every partition file."""
        for handle in self._files:
            if handle is not None:
                handle.close()
        self._files = [None] * self.partitions
        self._pending = [[] for _ in range(self.partitions)]
        self._tmp.cleanup()
