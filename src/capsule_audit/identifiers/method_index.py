"""Which method references may name one method, found by shared keys instead of every pair.

`cluster_methods` once compared every pair of distinct references: 10,000 "Name (ACR)" bullets
took most of a minute. Every way `same_method` can say yes implies a shared key, so only
references sharing a key are compared:

- two names agree when their sorted-token forms are within an Indel ratio of 88, or when the
  smaller word set (2+ words) is inside the larger. Forms are visited longest first; each probes
  the longer ones already indexed with every substring, and is then indexed under disjoint
  rare pieces, enough that a form within the edit bound keeps one whole at a position the
  bound allows (`method_pieces`). A contained word set shares the smaller set's rarest word.
- a name-less reference and a named one agree by equal acronym letters, or, when the named one
  has no acronym letters, by the acronym reading off the name: its first character opens the
  name's first part, or the acronym spells the whole name.

Candidates are grouped by cluster, a group the reference has joined is skipped, and a candidate
is compared at most once per probe, so a batch of near-identical names ('Method Number1',
'Method Number2', ...) costs linear work too.

Not linear in every case: when a name's only distinctive text is a few short made-up words beside
words every name shares ('<w> <w> <w> Learning', 'Deep Learning <www>'), its pieces must be bigrams
and trigrams of those words, which a batch of tens of thousands holds many times. Candidates per
name then grow with the batch ('Deep Learning <www>': 13 at 1,250 names, 104 at 10,000), each
tested by one C call (`fuzz.ratio`) before `agree`; see `benchmarks/bench_hostile.py`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from rapidfuzz import fuzz

from capsule_audit.identifiers.acronyms import name_parts
from capsule_audit.identifiers.method_pieces import LONGEST, SIMILARITY, choose_pieces, substring_counts

_ALNUM = re.compile(r"[^A-Za-z0-9]")

SMALL_BATCH = 16
"""Distinct name forms up to which every pair is compared instead of indexing them: choosing each
form's pieces and listing its substrings costs ~0.5 ms, more than all the pairs of a small batch
(most citation groups credit two or three names). The index finds every pair that can agree, so
both ways give the same clusters."""

Member = tuple[int, int, int, int, int]
"""An indexed form under one piece: its index, length, the piece's start, `before` and `after`."""


class Forest:
    """Union-find over indices; a union keeps the smaller root (clusters are renumbered later)."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.unions = 0  # unions that joined two clusters: a bucket merges its groups only after one

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)
            self.unions += 1


def sorted_form(normalized: str) -> str:
    """The form `fuzz.token_sort_ratio` compares: the words sorted, joined by single spaces."""
    return " ".join(sorted(normalized.split()))


def join_named(forms: dict[int, str], agree: Callable[[int, int], bool], forest: Forest) -> None:
    """Join every two indices whose names `agree`, given each index's sorted name form.

    Equal forms agree (or not) with the same names, so one index per form is compared.
    """
    first: dict[str, int] = {}
    for i, form in forms.items():
        if not form:
            continue  # an empty name agrees with nothing
        if form in first:
            if agree(first[form], i):
                forest.union(first[form], i)
        else:
            first[form] = i
    visiting = sorted(first.items(), key=lambda item: (-len(item[0]), item[1]))  # longest first
    if len(first) <= SMALL_BATCH:
        for k, (_, i) in enumerate(visiting):
            for _, j in visiting[:k]:
                if forest.find(i) != forest.find(j) and agree(i, j):
                    forest.union(i, j)
        return
    counts = substring_counts(first)
    words = Counter(word for form in first for word in set(form.split()))
    pieces = _Buckets(forest)
    sets = _Buckets(forest)
    for form, i in visiting:
        own = set(form.split())
        rarest = min(own, key=lambda w: (words[w], w))
        size = len(form)
        pieces.probe(i, _places(form), form, forms, agree)
        # A smaller set's rarest word is among mine; a larger set holding all my words holds
        # my rarest one.
        keys: dict[str, list[int]] = {"w" + word: [] for word in own}
        if len(own) >= 2:
            keys["s" + rarest] = []
        sets.probe(i, keys, form, forms, agree)
        for piece in choose_pieces(form, counts):
            pieces.add(piece.text, (i, size, piece.start, piece.before, piece.after))
        for word in own:
            sets.add("s" + word, (i, 0, 0, 0, 0))
        if len(own) >= 2:
            sets.add("w" + rarest, (i, 0, 0, 0, 0))


def _places(form: str) -> dict[str, list[int]]:
    """Where each substring of 1 to `LONGEST` characters starts in `form`."""
    places: dict[str, list[int]] = {}
    for n in range(1, LONGEST + 1):
        for q in range(len(form) - n + 1):
            places.setdefault(form[q : q + n], []).append(q)
    return places


class _Buckets:
    """Key -> cluster root -> members; a lookup skips the clusters the probing index is in.

    A key's groups are merged after unions only when it is next looked up (`_current`).
    """

    def __init__(self, forest: Forest) -> None:
        self.forest = forest
        self.groups: dict[str, dict[int, list[Member]]] = {}
        self.sizes: Counter[str] = Counter()
        self.merged_at: dict[str, int] = {}  # the forest's union count when a key was last merged

    def add(self, key: str, member: Member) -> None:
        root = self.forest.find(member[0])
        self.groups.setdefault(key, {}).setdefault(root, []).append(member)
        self.sizes[key] += 1

    def probe(
        self,
        i: int,
        places: dict[str, list[int]],
        form: str,
        forms: dict[int, str],
        agree: Callable[[int, int], bool],
    ) -> None:
        """Join `i` to each cluster holding a member under a key of `places` that agrees with it,
        smaller keys first, each member asked once. Under a piece (with start positions in
        `form`), a member is asked only when the piece may be kept whole at one of them
        (`method_pieces`) and its form is within the similarity: the word-set keys find the
        rest."""
        forest, size = self.forest, len(form)
        asked: set[int] = set()
        for key in sorted((k for k in places if k in self.groups), key=lambda k: (self.sizes[k], k)):
            starts = places[key]
            mine, unions = forest.find(i), forest.unions
            for root, members in self._current(key).items():
                if root == mine or (forest.unions != unions and forest.find(root) == mine):
                    continue
                for j, n, p, before, after in members:
                    if j in asked:
                        continue
                    if starts:
                        bound = 3 * (n + size) // 25  # method_pieces.edit_bound
                        for q in starts:
                            shift = p - q if p >= q else q - p
                            tail = n - p - size + q
                            if shift <= before and -after <= tail <= after and shift + abs(tail) <= bound:
                                break
                        else:
                            continue
                        asked.add(j)
                        if not fuzz.ratio(form, forms[j], score_cutoff=SIMILARITY):
                            continue
                    else:
                        asked.add(j)
                    if agree(i, j):
                        forest.union(i, j)
                        mine = forest.find(i)
                        break

    def _current(self, key: str) -> dict[int, list[Member]]:
        """The key's groups, those whose clusters have been joined merged (smaller into larger)."""
        groups = self.groups[key]
        if self.merged_at.get(key) == self.forest.unions:
            return groups
        self.merged_at[key] = self.forest.unions
        find = self.forest.find
        for root in [r for r in groups if find(r) != r]:
            members, target = groups.pop(root), find(root)
            held = groups.get(target)
            if held is None:
                groups[target] = members
            elif len(held) >= len(members):
                held.extend(members)
            else:
                members.extend(held)
                groups[target] = members
        return groups


def acronym_letters(acronym: str) -> str:
    """The characters `acronyms.acronym_matches` reads: ASCII letters and digits, lower-case."""
    return _ALNUM.sub("", acronym).lower()


def reading_keys(name: str) -> set[str]:
    """What an acronym that `acronym_matches` this name opens with (its first character, lower)."""
    keys = {acronym_letters(name)[:1]}
    parts = name_parts(name)
    if parts:
        keys.add(parts[0][0][0])
    return keys - {""}
