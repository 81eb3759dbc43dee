"""Names the HTML page gives things: stable anchors, and short capsule labels editors can tell apart.

Anchors are built from stable data (fingerprints, capsule ids, identifier keys), never from
positions, so a link to `#finding-…`, `#capsule-…` or `#cluster-…` still points at the same
thing in the next run's page. They hold only `[a-z0-9._-]`: no capsule data reaches an id raw.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
_STOP = frozenset(
    {
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "via",
        "new",
        "several",
        "notable",
        "about",
        "over",
        "under",
        "this",
        "that",
        "these",
        "those",
        "its",
        "their",
        "have",
        "has",
        "been",
        "was",
        "were",
        "are",
        "be",
    }
)
DISTINGUISHING_WORDS = 3
ID_PREFIX = 8
WORD_MAX = 20  # a label word longer than this is cut (a title of one 400-letter word)


def _digest(value: str, size: int = 12) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:size]


def slug(value: str, limit: int = 64) -> str:
    """`value` lower-cased with every run of other characters turned into '-' (a digest when
    that loses too much: an empty, cut or non-Latin value)."""
    cleaned = _UNSAFE.sub("-", value.lower()).strip("-")
    if not cleaned or len(cleaned) > limit or len(cleaned) * 2 < len(value):
        return (cleaned[: limit - 13].rstrip("-") + "-" if cleaned else "") + _digest(value)
    return cleaned


class Anchors:
    """Unique anchors with one prefix: a repeat of a name gets '-2', '-3'… in order of arrival."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._seen: set[str] = set()

    def add(self, name: str) -> str:
        """The anchor for `name` (already a slug)."""
        anchor = f"{self.prefix}-{name}"
        n = 1
        while anchor in self._seen:
            n += 1
            anchor = f"{self.prefix}-{name}-{n}"
        self._seen.add(anchor)
        return anchor


def capsule_ref(capsule_id: str) -> str:
    """The stable part of a capsule's anchor: the last path segment of its @id (its UUID for
    Forge capsules), else a digest of the whole id."""
    tail = capsule_id.rstrip("/").rsplit("/", 1)[-1]
    return slug(tail) if tail and tail != capsule_id else slug(capsule_id)


def id_prefix(capsule_id: str) -> str:
    """The first characters of the capsule's own id, as editors quote it."""
    return capsule_ref(capsule_id)[:ID_PREFIX]


def _words(title: str) -> list[str]:
    return [w for w in _WORD.findall(title.casefold()) if w not in _STOP and len(w) > 2]


def distinguishing_words(
    title: str, frequency: Counter[str], titles: int, limit: int = DISTINGUISHING_WORDS
) -> list[str]:
    """The title's rarest words across the batch, in title order: only words in at most one
    title in twenty (`frequency`: titles holding each word, of `titles`), so titles that differ
    only by their date get none."""
    rare = max(1, titles // 20)
    words = [w for w in dict.fromkeys(_words(title)) if frequency[w] <= rare]
    rarest = sorted(words, key=lambda w: (frequency[w], words.index(w)))[:limit]
    return [w for w in words if w in rarest]


def word_frequency(titles: Iterable[str | None]) -> Counter[str]:
    """For each word, how many titles hold it."""
    counts: Counter[str] = Counter()
    for title in titles:
        counts.update(set(_words(title or "")))
    return counts


def short_label(
    capsule_id: str, title: str | None, date: datetime | None, frequency: Counter[str], titles: int
) -> str:
    """'2026-04-12 · sarir toronto · 223f9579': date, distinguishing words, id prefix."""
    parts: Sequence[str] = (
        date.date().isoformat() if date else "undated",
        " ".join(
            w if len(w) <= WORD_MAX else w[: WORD_MAX - 1] + "…"
            for w in distinguishing_words(title or "", frequency, titles)
        ),
        id_prefix(capsule_id),
    )
    return " · ".join(part for part in parts if part)
