"""Pieces of a method name's sorted form: exact substrings another name within the edit bound shares.

Two sorted forms of lengths n >= m agree by `fuzz.token_sort_ratio >= 88` when their Indel
distance d (insertions plus deletions) satisfies d / (n + m) <= 0.12, that is 25 d <= 3 (n + m):
`edit_bound(n, m)`. Against any form no longer than itself a form of length n is therefore within
`6 n // 25` edits (`piece_count` is one more).

Pigeonhole with positions (as in Pass-Join, Li et al., VLDB 2011, for gapped pieces): take
K + 1 disjoint pieces P_1 < ... < P_{K+1} of the longer form s, K >= d. Charge each edit to the
piece it breaks or to the gap before the next piece (the last gap to the last piece). Some
piece P_i and the gap before it carry no edit while the pieces before it carry exactly i - 1,
so P_i is found whole in the other form t at a position q with
|p_i - q| <= i - 1 (`before`), |(n - p_i) - (m - q)| <= K + 1 - i (`after`), both summing to at
most d. A form is indexed under its pieces, and a shorter form probes with every substring.

Pieces are chosen to be rare: the index's cost is the number of other forms holding a piece,
so a dynamic programme picks the K + 1 disjoint substrings (1 to `LONGEST` characters) whose
counts in the batch sum least. A word every name shares ('learning') is then left out for
rare bigrams and trigrams of the distinctive words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

SIMILARITY = 88.0  # token_sort_ratio of two names that agree; 100 - 88 = 12 gives the 3 / 25 below
LONGEST = 4  # characters of a piece: longer ones are rarer, but fewer fit
_UNREACHABLE = 1 << 62


class Piece(NamedTuple):
    """One indexed piece: its text, where it starts, and how far it may shift either way."""

    text: str
    start: int
    before: int  # |start - q| allowed: the edits the pieces before it may carry
    after: int  # |(n - start) - (m - q)| allowed: the edits left for the text after it


def edit_bound(longer: int, shorter: int) -> int:
    """The most Indel edits two sorted forms of these lengths may differ by and still agree."""
    return 3 * (longer + shorter) // 25


def piece_count(length: int) -> int:
    """How many disjoint pieces a form is indexed under: one more than the edits it allows
    against any form no longer than itself."""
    return edit_bound(length, length) + 1


def substring_counts(forms: Iterable[str]) -> Counter[str]:
    """How often each substring of 1 to `LONGEST` characters occurs in the forms."""
    return Counter(
        form[p : p + n] for form in forms for n in range(1, LONGEST + 1) for p in range(len(form) - n + 1)
    )


def choose_pieces(form: str, counts: Counter[str]) -> list[Piece]:
    """`piece_count(len(form))` disjoint pieces of `form` whose batch counts sum least, in order.

    `costs[pos][j]` is the least sum for j pieces inside `form[:pos]`; `choices[pos][j]` the
    length of the piece that ends at `pos` in it (0: that character is left out).
    """
    size, need = len(form), piece_count(len(form))
    shortest = 2 if 2 * need <= size else 1  # single characters (in most forms) only when bigrams do not fit
    costs = [[0] + [_UNREACHABLE] * need]
    choices: list[list[int]] = [[0] * (need + 1)]
    for pos in range(1, size + 1):
        cost = list(costs[pos - 1])
        choice = [0] * (need + 1)
        # j pieces fit before `pos`, and the other need - j after it
        fitting = range(max(1, need - (size - pos) // shortest), min(need, pos // shortest) + 1)
        for n in range(shortest, min(LONGEST, pos) + 1):
            weight = counts[form[pos - n : pos]]
            earlier = costs[pos - n]
            for j in fitting:
                total = earlier[j - 1] + weight
                if total < cost[j]:
                    cost[j] = total
                    choice[j] = n
        costs.append(cost)
        choices.append(choice)
    spans: list[tuple[int, int]] = []
    pos, j = size, need
    while j:
        n = choices[pos][j]
        if n:
            spans.append((pos - n, n))
            j -= 1
            pos -= n
        else:
            pos -= 1
    spans.reverse()
    return [
        Piece(form[start : start + n], start, rank, need - 1 - rank) for rank, (start, n) in enumerate(spans)
    ]
