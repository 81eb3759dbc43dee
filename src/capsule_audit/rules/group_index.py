"""The group index: members by (kind, key), in memory while small, on disk partitions when large.

Below `budget` members (a small dump) everything stays in one dict, and a key held by one member
costs one dict entry and no list (most keys, capsule ids and titles, are singletons). The member
that crosses the budget moves the index to `SpillFiles`: every member filed so far, then every
later one, goes to partition `crc32(kind, key) mod P`, in batches. `groups` then reads one
partition at a time, groups it with a dict and yields its groups, so the peak is about 1/P of the
members: a GROUP BY done as a map-reduce shuffle. A partition that grew past `budget //
SPLIT_SHARE` members (the dump was larger than 64 budgets) is split again by a salted hash
before it is read, into as many sub-partitions as it needs, recursively while that shrinks them:
so the members held at once stay near that limit whatever the dump's size, but for one group
larger than it (a method every third capsule names), which is held whole, and alone: a group of
more than half the limit gets a file of its own when its part is over the limit, so two such
groups are never held together.

Group order: sorted by (kind, key) in memory; in spilled mode sorted within each partition (or
part of one) and partitions in turn, the same in every run. Consumers that need one global
order sort what they produce (the engine its findings, the API its clusters), so both modes give
identical reports.
Members of a group keep their filing order up to the stable sort by `member_order` in both.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from types import TracebackType

from capsule_audit.rules.base import Group, GroupKind, Member
from capsule_audit.rules.spill import Spilled, SpillFiles, gc_paused, partition_of

DEFAULT_BUDGET = 1_000_000
"""Members held in memory before spilling (about 15 per capsule, so some 65,000 capsules)."""
DEFAULT_PARTITIONS = 64
SPLIT_SHARE = 4
"""A partition read back may hold `budget // SPLIT_SHARE` members: unpickled, members no longer
share their claims across kinds (in memory one claim serves its citation, method and acronym
members), so each costs about three times as much."""
MAX_DEPTH = 4
"""Re-splits of one partition at most (each by a differently salted hash)."""

Minimums = int | Mapping[GroupKind, int]
"""The smallest group wanted: one number for every kind, or one per kind (absent kinds: none)."""


def member_order(m: Member) -> tuple[str, str, str, str, str, int]:
    """The stable order of members within a group, whatever the input order."""
    return (
        m.capsule,
        m.claim.id if m.claim else "",
        m.citation.key if m.citation else "",
        m.content_digest,
        m.source.path,
        m.source.index if m.source.index is not None else -1,
    )


def _floors(kinds: Iterable[GroupKind] | None, min_members: Minimums) -> dict[str, int]:
    """Kind value -> smallest group wanted, for the kinds asked for."""
    wanted = frozenset(GroupKind) if kinds is None else frozenset(kinds)
    if isinstance(min_members, int):
        return {kind.value: min_members for kind in wanted}
    return {kind.value: n for kind, n in min_members.items() if kind in wanted}


class GroupIndex:
    """Members by (kind, key); yields groups of a stable content whatever the input order."""

    def __init__(
        self,
        *,
        budget: int = DEFAULT_BUDGET,
        partitions: int = DEFAULT_PARTITIONS,
        directory: str | None = None,
    ) -> None:
        self.budget = budget
        self.partitions = partitions
        self.directory = directory
        self.members = 0
        self._buckets: dict[tuple[GroupKind, str], Member | list[Member]] = {}
        self._spill: SpillFiles | None = None
        self.splits = 0  # partitions split again on reading (for tests and benchmarks)

    @property
    def spilled(self) -> bool:
        """Whether the members live in partition files."""
        return self._spill is not None

    def add(self, kind: GroupKind, key: str, member: Member) -> None:
        """File one member under one key."""
        self.members += 1
        if self._spill is not None:
            self._queue(kind, key, member)
            return
        slot = (kind, key)
        held = self._buckets.get(slot)
        if held is None:
            self._buckets[slot] = member
        elif isinstance(held, list):
            held.append(member)
        else:
            self._buckets[slot] = [held, member]
        if self.members > self.budget:
            self._spill_all()

    def extend(self, entries: Iterable[tuple[GroupKind, str, Member]]) -> None:
        """File every entry of `members_for`."""
        for kind, key, member in entries:
            self.add(kind, key, member)

    def _queue(self, kind: GroupKind, key: str, member: Member) -> None:
        assert self._spill is not None
        self._spill.add(partition_of(kind, key, self.partitions), (kind.value, key, member))

    def _spill_all(self) -> None:
        # Filing order per key is kept: a key's earlier members are queued before later ones.
        self._spill = SpillFiles(self.partitions, self.directory)
        buckets, self._buckets = self._buckets, {}
        for (kind, key), held in buckets.items():
            for member in held if isinstance(held, list) else (held,):
                self._queue(kind, key, member)

    def groups(
        self, kinds: Iterable[GroupKind] | None = None, *, min_members: Minimums = 2
    ) -> Iterator[Group]:
        """Groups of the given kinds (None: all) with at least `min_members` members."""
        floors = _floors(kinds, min_members)
        if self._spill is None:
            yield from self._memory_groups(floors)
            return
        for n in range(self.partitions):
            yield from self._read_groups(self._spill.read(n), self._spill.counts[n], floors, depth=0)

    def _memory_groups(self, floors: Mapping[str, int]) -> Iterator[Group]:
        def size(held: Member | list[Member]) -> int:
            return len(held) if isinstance(held, list) else 1

        # Filter before sorting: in a large dump nearly every key is a singleton.
        slots = [
            slot
            for slot, held in self._buckets.items()
            if slot[0] in floors and size(held) >= floors[slot[0]]
        ]
        for kind, key in sorted(slots):
            held = self._buckets[(kind, key)]
            members = held if isinstance(held, list) else [held]
            yield Group(kind, key, tuple(sorted(members, key=member_order)))

    def _read_groups(
        self, batches: Iterator[list[Spilled]], count: int, floors: Mapping[str, int], *, depth: int
    ) -> Iterator[Group]:
        """The groups of one partition's batches (`count` members), split again first if too large."""
        limit = max(self.budget // SPLIT_SHARE, 1)
        if count <= limit or depth >= MAX_DEPTH:
            groups = _grouped(batches, floors)
            groups.reverse()
            while groups:  # popped as they go: a checked group is not kept alive by the list
                yield groups.pop()
            return
        self.splits += 1
        parts = min(math.ceil(2 * count / limit), 1024)
        split = SpillFiles(parts, self.directory)
        sizes: Counter[tuple[str, str]] = Counter()
        try:
            with gc_paused():
                for batch in batches:
                    for entry in batch:
                        if entry[0] in floors:
                            slot = (entry[0], entry[1])
                            sizes[slot] += 1
                            split.add(_salted(depth, slot, parts), entry)
                split.flush()  # nothing of the partition waits in memory while its parts are read
            # A group of more than half the limit is read on its own: two giant groups hashed into
            # one part (two methods each named by a third of a dump) were held together.
            giants: dict[int, list[tuple[str, str]]] = {}
            for slot, size in sizes.items():
                if size > limit // 2:
                    giants.setdefault(_salted(depth, slot, parts), []).append(slot)
            del sizes
            for n in range(parts):
                if n in giants and split.counts[n] > limit:
                    yield from self._read_apart(split.read(n), sorted(giants[n]), floors)
                    continue
                # Hashing spreads members evenly (about limit / 2 a part): a part holding more than
                # half of them is mostly one group larger than the limit, held whole, not re-split.
                deeper = depth + 1 if split.counts[n] <= count // 2 else MAX_DEPTH
                yield from self._read_groups(split.read(n), split.counts[n], floors, depth=deeper)
        finally:
            split.close()

    def _read_apart(
        self, batches: Iterator[list[Spilled]], giants: list[tuple[str, str]], floors: Mapping[str, int]
    ) -> Iterator[Group]:
        """A part's giant groups one file each, then its other groups; each read on its own."""
        where = {slot: n for n, slot in enumerate(giants)}
        rest = len(giants)
        apart = SpillFiles(rest + 1, self.directory)
        try:
            with gc_paused():
                for batch in batches:
                    for entry in batch:
                        apart.add(where.get((entry[0], entry[1]), rest), entry)
                apart.flush()
            for n in range(rest + 1):
                yield from self._read_groups(apart.read(n), apart.counts[n], floors, depth=MAX_DEPTH)
        finally:
            apart.close()

    def close(self) -> None:
        """Delete the partition files, if any; the index is empty afterwards."""
        if self._spill is not None:
            self._spill.close()
        self._spill, self._buckets, self.members = None, {}, 0

    def __enter__(self) -> GroupIndex:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _salted(depth: int, slot: tuple[str, str], parts: int) -> int:
    """The part of a (kind value, key) slot when a partition is split at `depth`."""
    return zlib.crc32(f"{depth}\x1e{slot[0]}\x1f{slot[1]}".encode()) % parts


def _grouped(batches: Iterator[list[Spilled]], floors: Mapping[str, int]) -> list[Group]:
    """The groups of one partition's batches with at least their kind's floor, sorted by (kind, key)."""
    with gc_paused():  # unpickling creates millions of young objects and no cycles
        buckets: dict[tuple[str, str], list[Member]] = {}
        for batch in batches:
            for kind, key, member in batch:
                if kind in floors:
                    buckets.setdefault((kind, key), []).append(member)
        return [
            Group(GroupKind(kind), key, tuple(sorted(members, key=member_order)))
            for (kind, key), members in sorted(buckets.items())
            if len(members) >= floors[kind]
        ]
