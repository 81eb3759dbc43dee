"""A fast sentence splitter for capsule prose.

pysbd is correct but runs at about 80 documents/s; capsules are regular enough that one regex for
candidate boundaries plus an abbreviation check does the job at regex speed. A boundary is
sentence punctuation followed by whitespace and a capital, digit, quote or bracket; it is
refused after abbreviations ('e.g.', 'vs.', 'Prof.'), initials ('J. Smith'), and dotted
acronyms ('U.S.'). Decimals ('2.0') and names like 'Llama-3-8B' never look like boundaries
because no whitespace follows their periods.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]*_]*(?=\s+[\"'“‘(\[*_]*[A-Z0-9@#•])")
_WORD_BEFORE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z][A-Za-z.]*)\.+[\"'”’)\]*_]*$")
_ABBREVIATIONS = frozenset(
    {
        "e.g", "i.e", "vs", "etc", "al", "cf", "approx", "ca", "fig", "figs", "eq", "eqs", "no",
        "nos", "vol", "pp", "p", "ch", "sec", "ref", "refs", "prof", "dr", "mr", "mrs", "ms",
        "st", "jr", "sr", "inc", "ltd", "co", "corp", "dept", "univ", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "est", "resp", "incl",
    }
)  # fmt: skip
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")


def _is_abbreviation(prefix: str) -> bool:
    """Whether the period that ends `prefix` belongs to an abbreviation, not a sentence."""
    if not prefix.endswith("."):
        return False
    match = _WORD_BEFORE.search(prefix)
    if match is None:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():
        return True  # an initial: 'J. Smith'
    if _DOTTED_ACRONYM.match(word):
        return True  # 'U.S', 'e.g', 'i.e'
    return word.lower() in _ABBREVIATIONS


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character ranges of the sentences in `text[start:end]`, trimmed of whitespace."""
    stop = len(text) if end is None else min(end, len(text))
    ranges: list[tuple[int, int]] = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, stop):
        boundary = match.end()
        if _is_abbreviation(text[max(cursor, boundary - 24) : boundary].rstrip("\"'”’)]*_")):
            continue
        _append(text, cursor, boundary, ranges)
        cursor = boundary
    _append(text, cursor, stop, ranges)
    return ranges


def _append(text: str, start: int, end: int, ranges: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        ranges.append((start, end))
