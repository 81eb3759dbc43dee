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
_BOUNDARY_MARKS = ".!?…"  # every _BOUNDARY match starts at one of these
_WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz."
_ABBREVIATIONS = frozenset(
    {
        "e.g", "i.e", "vs", "etc", "al", "cf", "approx", "ca", "fig", "figs", "eq", "eqs", "no",
        "nos", "vol", "pp", "p", "ch", "sec", "ref", "refs", "prof", "dr", "mr", "mrs", "ms",
        "st", "jr", "sr", "inc", "ltd", "co", "corp", "dept", "univ", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "est", "resp", "incl",
    }
)  # fmt: skip


def _is_abbreviation(prefix: str) -> bool:
    """Whether the period that ends `prefix` belongs to an abbreviation, not a sentence."""
    if not prefix.endswith("."):
        return False
    word = word_before(prefix)
    if word is None:
        return False
    if len(word) == 1 and word.isupper():
        return True  # an initial: 'J. Smith'
    if len(word) % 2 and len(word) > 1 and word[1::2] == "." * (len(word) // 2) and "." not in word[::2]:
        return True  # a dotted acronym, letters and dots alternating: 'U.S', 'e.g', 'i.e'
    return word.lower() in _ABBREVIATIONS


def word_before(prefix: str) -> str | None:
    """The word whose period ends `prefix` (which ends in '.'), without that period; None if none.

    What `(?<![A-Za-z0-9])([A-Za-z][A-Za-z.]*)\\.+$` finds, by string methods (a regex search
    from every position of the prefix cost more than the rest of the check): the word starts
    in the trailing run of ASCII letters and dots, at its first letter that follows a dot, or
    follows no letter or digit.
    """
    run = len(prefix.rstrip(_WORD_CHARS))
    for start in range(run, len(prefix) - 1):
        if prefix[start] != "." and (
            start == 0 or prefix[start - 1] == "." or (start == run and prefix[start - 1] not in "0123456789")
        ):
            return prefix[start:-1]
    return None


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character ranges of the sentences in `text[start:end]`, trimmed of whitespace."""
    stop = len(text) if end is None else min(end, len(text))
    ranges: list[tuple[int, int]] = []
    cursor = start
    for match in boundary_matches(text, start, stop):
        boundary = match.end()
        if _is_abbreviation(text[max(cursor, boundary - 24) : boundary].rstrip("\"'”’)]*_")):
            continue
        _append(text, cursor, boundary, ranges)
        cursor = boundary
    _append(text, cursor, stop, ranges)
    return ranges


def boundary_matches(text: str, start: int, stop: int) -> list[re.Match[str]]:
    """`list(_BOUNDARY.finditer(text, start, stop))`, trying the pattern only at sentence marks.

    The regex engine scans for the opening character class at tens of nanoseconds a character;
    `str.find` finds the few marks of a paragraph far faster, and the pattern is then tried
    only there, in order, as `finditer` would (same `stop`, so lookaheads see no further).
    """
    marks: list[int] = []
    for mark in _BOUNDARY_MARKS:
        position = text.find(mark, start, stop)
        while position >= 0:
            marks.append(position)
            position = text.find(mark, position + 1, stop)
    marks.sort()
    found: list[re.Match[str]] = []
    last = start
    for position in marks:
        # Tried at a mark, the pattern takes the whole run of marks that follows: tried inside
        # the run, it fails where the run's first mark failed (or lies inside its match). Each
        # run is tried once: a run of N marks costs N, not N**2/2.
        if position >= last and (position == start or text[position - 1] not in _BOUNDARY_MARKS):
            match = _BOUNDARY.match(text, position, stop)
            if match is not None:
                found.append(match)
                last = match.end()
    return found


def _append(text: str, start: int, end: int, ranges: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    kept = piece.lstrip()  # str.strip's whitespace is str.isspace's; no char-by-char loop
    if kept:
        start += len(piece) - len(kept)
        ranges.append((start, start + len(kept.rstrip())))
