"""Conflicts inside one group without comparing all pairs of capsules.

A group may hold thousands of capsules but few distinct values: methods, identifier sets,
institution sets, figures. Capsules are first clustered by value into `Side`s (one dict pass),
and only sides are compared. Where even the distinct values may be many (each capsule citing its
own arXiv ID, each quoting its own figure), conflicts are found by counting, not by pairing:
`disjoint_partner_ranks` for sets, `conflicting_figure_sets` for figures. The cost is linear in
the group, up to a sort; `cluster_methods` compares only methods that share an index key
(`identifiers.method_index`).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TypeVar

from capsule_audit.identifiers.credits import Valued, figures_agree, rank
from capsule_audit.rules.credited import Credited

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
_SUBSET_LIMIT = 8  # sets with more keys are compared directly (2**8 subsets is the counting cost)


@dataclass(frozen=True, slots=True)
class Side:
    """One distinct value of a group and the capsules stating it (one credit per capsule)."""

    label: str
    credits: tuple[Credited, ...]

    @property
    def rank(self) -> int:
        """The strongest binding on this side."""
        return max(rank(c.binding) for c in self.credits)

    def strongest(self, count: int) -> list[Credited]:
        """Up to `count` credits, strongest binding first, then in capsule order."""
        order = {id(c): i for i, c in enumerate(self.credits)}
        return heapq.nsmallest(count, self.credits, key=lambda c: (-rank(c.binding), order[id(c)]))


def cluster(items: Iterable[tuple[K, T]]) -> dict[K, list[T]]:
    """Items (credits, capsules) by value, values in order of first appearance: one dict pass."""
    found: dict[K, list[T]] = {}
    for value, credit in items:
        found.setdefault(value, []).append(credit)
    return found


def strongest_cross_pairs(sides: Sequence[Side]) -> Iterator[tuple[Credited, Credited]]:
    """For each pair of sides, its strongest pair of credits from two different capsules.

    Two credits per side suffice: when both sides' strongest credits share a capsule, the best
    valid pair takes the runner-up of one side. Quadratic in the sides (distinct methods) only.
    """
    tops = [side.strongest(2) for side in sides]
    for i, xs in enumerate(tops):
        for ys in tops[i + 1 :]:
            valid = [(x, y) for x in xs for y in ys if x.capsule != y.capsule]
            if valid:
                yield max(valid, key=lambda p: rank(p[0].binding) + rank(p[1].binding))


def _subsets(keys: frozenset[str]) -> Iterator[tuple[int, frozenset[str]]]:
    if len(keys) == 1:  # most sets hold one key (one identifier): it is its only subset
        yield 1, keys
        return
    ordered = sorted(keys)
    for size in range(1, len(ordered) + 1):
        for combo in combinations(ordered, size):
            yield size, frozenset(combo)


def disjoint_partner_ranks(sets: Sequence[frozenset[str]], ranks: Sequence[int]) -> list[int | None]:
    """For each (non-empty, distinct) set, the highest rank of a set disjoint from it, or None.

    Counting instead of pairing: every non-empty subset U of every set is counted once per rank,
    and by inclusion-exclusion the sets of rank r meeting S number the sum over non-empty U <= S
    of (-1)**(|U|+1) * count_r[U]. A set of more than `_SUBSET_LIMIT` keys is compared directly.
    Linear in the sets when each holds a few keys (an identifier set, an institution set).
    """
    result: list[int | None] = [None] * len(sets)
    for r in sorted(set(ranks), reverse=True):
        of_rank = [i for i, rk in enumerate(ranks) if rk == r]
        small = [i for i in of_rank if len(sets[i]) <= _SUBSET_LIMIT]
        big = [sets[i] for i in of_rank if len(sets[i]) > _SUBSET_LIMIT]
        counts: Counter[frozenset[str]] = Counter(u for i in small for _, u in _subsets(sets[i]))
        for j, keys in enumerate(sets):
            if result[j] is not None:
                continue
            if len(keys) == 1:  # the common case, without the inclusion-exclusion sum
                free = len(small) - counts.get(keys, 0)
            elif len(keys) <= _SUBSET_LIMIT:
                meeting = sum((-1) ** (size + 1) * counts.get(u, 0) for size, u in _subsets(keys))
                free = len(small) - meeting
            else:
                free = sum(1 for i in small if not keys & sets[i])
            if free > 0 or any(not keys & other for other in big):
                result[j] = r
    return result


def conflicting_figure_sets(sets: Sequence[tuple[Valued, ...]], tolerance: float) -> list[bool]:
    """For each distinct figure set, whether another set has no figure agreeing with any of its own.

    A single figure agrees with the values of an interval (for a relative tolerance below 1), so
    it conflicts with some other single figure exactly when it disagrees with the smallest or the
    largest value of a direction it is compatible with, or when the opposite direction is stated.
    Sets of several figures (rare) are compared with every set.
    """
    involved = [False] * len(sets)
    singles = [i for i, s in enumerate(sets) if len(s) == 1]
    if 0 <= tolerance < 1:
        _mark_singles([sets[i][0] for i in singles], singles, tolerance, involved)
        pairwise = [i for i, s in enumerate(sets) if len(s) != 1]
    else:
        pairwise = list(range(len(sets)))
    for pos, i in enumerate(pairwise):
        others = range(len(sets)) if len(sets[i]) != 1 else pairwise[pos + 1 :]
        for j in others:
            if i != j and not any(figures_agree(a, b, tolerance) for a in sets[i] for b in sets[j]):
                involved[i] = involved[j] = True
    return involved


def _mark_singles(figs: list[Valued], where: list[int], tolerance: float, involved: list[bool]) -> None:
    extremes: dict[str, tuple[Valued, Valued]] = {}  # direction ('' for none) -> (lowest, highest)
    for fig in figs:
        d = fig.direction or ""
        low, high = extremes.get(d, (fig, fig))
        extremes[d] = (fig if fig.value < low.value else low, fig if fig.value > high.value else high)
    for fig, i in zip(figs, where, strict=True):
        d = fig.direction or ""
        for other, (low, high) in extremes.items():
            opposite = bool(d and other and other != d)
            if opposite or not figures_agree(fig, low, tolerance) or not figures_agree(fig, high, tolerance):
                involved[i] = True
                break
