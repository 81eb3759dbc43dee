"""Which method references may name one method, found by shared keys instead of every pair.

`cluster_methods` once compared every pair of distinct references: 10,000 "Name (ACR)" bullets
took most of a minute. Every way `same_method` can say yes implies a shared key, so only
references sharing a key are compared:

- two names agree when their sorted-token forms are within an Indel ratio of 88 (at most
  `_EDITS` x the length in insertions and deletions: K), or when the smaller word set (2+ words)
  is inside the larger. Of any K+1 disjoint pieces of one form, at least one is left whole in the
  other (each edit breaks at most one piece), so each form is indexed under K+1 disjoint pieces,
  the rarest substrings of the batch, and looks up each of its own substrings as long as a piece;
  a contained word set shares the smaller set's rarest word.
- a name-less reference and a named one agree by equal acronym letters, or, when the named one
  has no acronym letters, by the acronym reading off the name: its first character opens the
  name's first part, or the acronym spells the whole name.

Candidates are grouped by cluster, and a group the reference has joined is skipped, so a batch of
near-identical names ('Method Number1', 'Method Number2', ...) costs linear work too.

Not linear in every case: a name whose distinctive text is too short to yield K+1 rare pieces is
also indexed under pieces of text it shares (the 'learning' of '<word> <word> Learning'), and
many such distinct names are compared in pairs, each by one C call (`_forms_may_agree`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from capsule_audit.identifiers.acronyms import name_parts

_EDITS = 0.28  # ratio >= 88 allows at most 0.12 * (m + n) <= 0.2727 * m edits (n <= 1.2727 * m)
_LONGEST = 4  # characters of an indexed piece: longer ones are rarer, but fewer fit
_RARE = 4  # a piece this rare is as good as a rarer one, and a shorter one leaves room for more
_ALNUM = re.compile(r"[^A-Za-z0-9]")


class Forest:
    """Union-find over indices; a union keeps the smaller root (clusters are renumbered later)."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        self.parent[max(ri, rj)] = min(ri, rj)


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
    counts = Counter(
        form[p : p + n] for form in first for n in range(2, _LONGEST + 1) for p in range(len(form) - n + 1)
    )
    words = Counter(word for form in first for word in set(form.split()))
    index = _Buckets(forest)
    for form, i in first.items():
        own = set(form.split())
        rarest = min(own, key=lambda w: (words[w], w))
        probes = {"g" + form[p : p + n] for n in range(1, _LONGEST + 1) for p in range(len(form) - n + 1)}
        probes |= {"w" + word for word in own}  # a smaller set's rarest word is among mine
        if len(own) >= 2:
            probes.add("s" + rarest)  # a larger set holding all my words holds my rarest one
        index.probe(i, probes, agree)
        keys = ["g" + piece for piece in _pieces(form, counts)] + ["s" + word for word in own]
        if len(own) >= 2:
            keys.append("w" + rarest)
        index.add(i, keys)


def _pieces(form: str, counts: Counter[str]) -> list[str]:
    """`int(_EDITS * len(form)) + 1` disjoint pieces of `form`, the rarest in the batch first.

    A piece is 2 to `_LONGEST` characters; one is taken only while single characters can still
    make up the number, which they do at the end.
    """
    need = int(_EDITS * len(form)) + 1
    free = len(form)  # characters no piece covers yet
    taken = [False] * len(form)
    pieces: list[str] = []
    spans = [(p, n) for n in range(2, _LONGEST + 1) for p in range(len(form) - n + 1)]
    for p, n in sorted(
        spans, key=lambda span: (max(counts[form[span[0] : span[0] + span[1]]], _RARE), span[1], span[0])
    ):
        if len(pieces) == need:
            break
        if len(pieces) + 1 + free - n < need:
            continue
        if not any(taken[p : p + n]):
            taken[p : p + n] = [True] * n
            free -= n
            pieces.append(form[p : p + n])
    pieces += [form[p] for p, used in enumerate(taken) if not used][: need - len(pieces)]
    return pieces


class _Buckets:
    """Key -> cluster root -> indices; a lookup skips the clusters the probing index is in."""

    def __init__(self, forest: Forest) -> None:
        self.forest = forest
        self.groups: dict[str, dict[int, list[int]]] = {}
        self.sizes: Counter[str] = Counter()

    def add(self, i: int, keys: list[str]) -> None:
        root = self.forest.find(i)
        for key in dict.fromkeys(keys):
            self.groups.setdefault(key, {}).setdefault(root, []).append(i)
            self.sizes[key] += 1

    def probe(self, i: int, keys: set[str], agree: Callable[[int, int], bool]) -> None:
        """Join `i` to each cluster holding an index that agrees with it (small buckets first)."""
        find = self.forest.find
        for key in sorted((k for k in keys if k in self.groups), key=lambda k: (self.sizes[k], k)):
            groups = self._regroup(self.groups[key])
            for root, members in groups.items():
                if find(root) == find(i):
                    continue
                for j in members:
                    if agree(i, j):
                        self.forest.union(i, j)
                        break

    def _regroup(self, groups: dict[int, list[int]]) -> dict[int, list[int]]:
        """Merge the groups whose clusters have been joined since (smaller list into larger)."""
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
