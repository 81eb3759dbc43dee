"""Which of many terms a sentence mentions, in one pass over the sentence.

`entities.mentions(text, term)` finds one term; asking it about every method of a page for every
sentence costs sentences x methods: quadratic on a page of N 'Name (ACR)' bullets. A `TermIndex`
holds the terms in a character trie and walks it from each position a mention can start at (the
first character, or one after a non-word character), so a sentence costs its length times the
depth the trie matches there, whatever the number of terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_END = ""  # trie key marking "a term ends here": never a character of a term
_NON_WORD = re.compile(r"\W")  # `\W` is exactly `not (isalnum() or == "_")`, as `mentions` has it


class TermIndex:
    """Terms to find as whole-word mentions, as `entities.mentions` defines them."""

    __slots__ = ("_empty", "_root")

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self._root: dict[str, Any] = {}
        self._empty = False
        for term in terms:
            self.add(term)

    def add(self, term: str) -> None:
        """Index `term`."""
        if not term:
            self._empty = True  # 'mentioned' where two non-word characters meet, as `mentions` has it
            return
        node = self._root
        for char in term:
            node = node.setdefault(char, {})
        node[_END] = term

    def first_positions(self, text: str) -> dict[str, int]:
        """Each indexed term `text` mentions, with the position of its first whole-word mention."""
        found: dict[str, int] = {}
        root = self._root
        if not root and not self._empty:
            return found
        size = len(text)
        starts = [0, *(match.end() for match in _NON_WORD.finditer(text))]
        if self._empty:
            for start in starts:
                if start == size or _NON_WORD.match(text, start):
                    found[""] = start
                    break
        for start in starts:
            node = root.get(text[start]) if start < size else None
            position = start + 1
            while node is not None:
                term = node.get(_END)
                if term is not None and (position == size or _NON_WORD.match(text, position)):
                    found.setdefault(term, start)
                if position == size:
                    break
                node = node.get(text[position])
                position += 1
        return found
