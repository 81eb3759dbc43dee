"""Signs that a text was cut off, shared by CA501, CA502 and CA505.

No dictionary: a word counts as cut when it is the start of a longer word the same text uses,
and the rest is not an inflection ("model" before "models" is not a cut, "Optimiz" before
"Optimization" is).
"""

from __future__ import annotations

import re
from collections import defaultdict

from capsule_audit.models.claims import Span

_INFLECTIONS = frozenset({"s", "es", "ed", "d", "ing", "er", "ers", "'s", "ly", "al", "e"})
_DANGLING = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "and",
        "or",
        "but",
        "as",
        "that",
        "which",
        "than",
        "into",
        "via",
        "per",
        "its",
        "their",
    }
)
_OPEN_END = tuple(",;:–—-([{/&+=")
_CLOSED_END = tuple(".!?)]}\"'”’»`*|>")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_WORD = re.compile(r"\w+")
# Two capitalized words in a row, the first not preceded by a word character or hyphen. The
# pattern opens with a character class, so the scan jumps to capitals (twice as fast as a leading
# lookbehind); the lookbehind after `[A-Z]` tests the character before it. Only the first word and
# the space are consumed, so "A B C" still yields both ("A", "B") and ("B", "C").
_CAPITAL_PAIR = re.compile(r"([A-Z](?<![\w-].)[A-Za-z-]*) (?=([A-Z][A-Za-z-]*))")


def _is_cut_prefix(part: str, whole: str) -> bool:
    return len(whole) > len(part) and whole.startswith(part) and whole[len(part) :] not in _INFLECTIONS


def looks_cut(text: str) -> str | None:
    """How the text ends abruptly ('mid-word', 'mid-sentence', 'on a heading'), or None."""
    tail = text.rstrip()
    if not tail:
        return None
    last_line = tail.rsplit("\n", 1)[-1].strip()
    if last_line.startswith("#"):
        return "on a heading with nothing under it"
    if tail.endswith(_OPEN_END):
        return "mid-sentence"
    if tail.endswith(_CLOSED_END):
        return None
    last = _WORD.findall(tail[-80:])
    if not last:
        return None
    word = last[-1]
    earlier = set(_WORD.findall(tail[: len(tail) - len(word)]))
    if any(_is_cut_prefix(word, other) for other in earlier):
        return "mid-word"
    if word.lower() in _DANGLING:
        return "mid-sentence"
    if not _LIST_ITEM.match(last_line):
        return "mid-sentence"  # prose closes with punctuation; list items need not
    return None


def tail_looks_cut(tail: str) -> bool:
    """The last characters alone: no closing punctuation (for a batch-wide length check)."""
    end = tail.rstrip()
    return bool(end) and not end.endswith(_CLOSED_END)


def cut_words(text: str) -> list[tuple[Span, str]]:
    """Words cut inside the text: the last word of a capitalized name that another, longer
    occurrence of the same name completes ("Recursive Gradient Optimiz" / "...Optimization").

    Returns the span of each cut word and the word that completes it, in text order. The text's
    final word is left to `looks_cut`.
    """
    # Pairs of capitalized words, found by one C-level scan; positions only for the rare hits.
    following: dict[str, set[str]] = defaultdict(set)
    for prev, cur in _CAPITAL_PAIR.findall(text):
        following[prev].add(cur)
    end = len(text.rstrip())
    found: list[tuple[Span, str]] = []
    for prev, words in following.items():
        if len(words) < 2:
            continue
        ordered = sorted(words)
        for at, word in enumerate(ordered):
            whole = _first_completion(word, ordered, at + 1) if len(word) >= 3 else None
            if whole is None:
                continue
            for hit in re.finditer(re.escape(f"{prev} {word}") + r"(?![\w-])", text):
                if hit.end() < end:
                    found.append((Span(start=hit.end() - len(word), end=hit.end()), whole))
    return sorted(found, key=lambda item: item[0].start)


def _first_completion(word: str, ordered: list[str], after: int) -> str | None:
    """The first of the sorted words from `after` on that `word` is a cut prefix of, or None.

    The words `word` opens follow it in sorted order, and only its few inflections are passed
    over, so a name followed by thousands of different words costs linear work (issue 14).
    """
    for k in range(after, len(ordered)):
        other = ordered[k]
        if not other.startswith(word):
            return None
        if _is_cut_prefix(word, other):
            return other
    return None
