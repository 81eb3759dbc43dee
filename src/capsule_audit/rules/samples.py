"""Text samples for near-duplicate search (CA103): packed small, sorted and paired as a stream.

A templated dump puts most of its capsules into one min-hash block, held whole while CA103 runs
(947,575 members of 1,000,000 synthetic capsules). At that size the samples were the memory: a
1,000-character sample took more than half of a member, and the list of neighbour pairs another
half a gigabyte. So a sample is kept zlib-compressed (to about 45%; 15 µs a capsule), sorted in
chunks whose keys are unpacked only while the chunk sorts, merged lazily, and paired with its
next neighbours from a sliding window, never as a list of pairs.
"""

from __future__ import annotations

import heapq
import zlib
from collections import deque
from collections.abc import Iterable, Iterator, Sequence

from capsule_audit.rules.base import Member

SORT_CHUNK = 16_384
"""Members whose samples are unpacked at once while sorting a block."""


def pack_sample(sample: str) -> bytes:
    """The sample as held in a member: UTF-8, zlib-compressed."""
    return zlib.compress(sample.encode("utf-8"), 6)


def sample_of(member: Member) -> str:
    """A TEXT_BLOCK member's sample, unpacked ('' when it has none)."""
    packed = member.packed_sample
    return zlib.decompress(packed).decode("utf-8") if packed else ""


def _by_sample(member: Member) -> tuple[str, str]:
    return sample_of(member), member.capsule


def _unpacked(run: list[Member], n: int) -> Iterator[tuple[str, str, int, int, Member]]:
    for position, member in enumerate(run):
        yield sample_of(member), member.capsule, n, position, member


def sorted_by_sample(members: Sequence[Member], chunk: int = SORT_CHUNK) -> Iterator[tuple[str, Member]]:
    """(sample, member) in (sample, capsule) order: what `sorted` gives, with one chunk unpacked.

    Each chunk is sorted stably and chunks merge in input order (ties go to the earlier chunk),
    so equal keys keep their input order exactly as one stable sort would.
    """
    runs = [sorted(members[start : start + chunk], key=_by_sample) for start in range(0, len(members), chunk)]
    merged = heapq.merge(*(_unpacked(run, n) for n, run in enumerate(runs)))
    for sample, _, _, _, member in merged:
        yield sample, member


def neighbour_pairs(
    ordered: Iterable[tuple[str, Member]], window: int
) -> Iterator[tuple[tuple[str, Member], tuple[str, Member]]]:
    """Each item with each of the `window` items after it, in the order of a nested loop."""
    held: deque[tuple[str, Member]] = deque()
    for item in ordered:
        held.append(item)
        if len(held) > window:
            first = held.popleft()
            for later in held:
                yield first, later
    while held:
        first = held.popleft()
        for later in held:
            yield first, later
