"""Claims and methods while they are being built, and how a draft becomes a `Claim`."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from capsule_audit.claims.citations import dedupe_citations
from capsule_audit.claims.construct import make, method_ref, span
from capsule_audit.models.claims import Citation, Claim, Figure, MethodItem, MethodRef, Span

_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_AUTOLINK = re.compile(r"<((?:https?://|www\.)[^>\s]+)>")
_EMPHASIS = re.compile(r"(?<![\w*_])[*_]{1,3}|[*_]{1,3}(?![\w*_])|`+")
_MARKUP_EDGE = "*_` "


@dataclass(slots=True)
class MethodDraft:
    """A numbered method header and what its item says: body, citations, institutions."""

    ordinal: int | None
    name: str
    acronym: str | None
    start: int
    end: int
    has_body: bool = False
    citations: list[Citation] = field(default_factory=list)
    institutions: dict[str, None] = field(default_factory=dict)
    # Built once when the first claim is finished (the walk is over by then): every claim of the
    # item shares these immutable values instead of rebuilding them.
    _ref: MethodRef | None = None
    _citations: tuple[Citation, ...] | None = None

    def ref(self) -> MethodRef:
        if self._ref is None:
            self._ref = method_ref(self.name, self.acronym)
        return self._ref

    def final_citations(self) -> tuple[Citation, ...]:
        """The item's citations once the walk is over (already one per key)."""
        if self._citations is None:
            self._citations = tuple(self.citations)
        return self._citations

    def item(self) -> MethodItem:
        return make(
            MethodItem,
            {
                "ordinal": self.ordinal,
                "name": self.name,
                "acronym": self.acronym,
                "span": span(self.start, self.end),
                "has_body": self.has_body,
            },
        )


@dataclass(slots=True)
class ClaimDraft:
    """One sentence on its way to becoming a claim."""

    section: str
    implication: bool
    start: int
    end: int
    text: str
    """Cleaned: no Markdown, single-spaced (`clean_markup`)."""
    method: MethodDraft | None = None
    mention: MethodRef | None = None
    institutions: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    citations: list[Citation] = field(default_factory=list)


def clean_markup(raw: str) -> str:
    """Sentence text without Markdown: links become their text, emphasis marks go, spaces collapse."""
    if "[" in raw:
        raw = _LINK.sub(r"\1", raw)
    if "<" in raw:
        raw = _AUTOLINK.sub(r"\1", raw)
    if "*" in raw or "_" in raw or "`" in raw:
        raw = _EMPHASIS.sub("", raw)
    return " ".join(raw.split())


def trim_markup(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past stray emphasis marks and spaces at either end."""
    if start >= end:
        return start, end
    piece = text[start:end]
    kept = piece.lstrip(_MARKUP_EDGE)  # str methods: a char-by-char loop costs several times more
    start += len(piece) - len(kept)
    return start, start + len(kept.rstrip(_MARKUP_EDGE))


def is_statement(text: str) -> bool:
    """Whether a cleaned sentence states something (not a lead-in like 'Key developments include:')."""
    if not text[:1].isalpha() and not any(char.isalpha() for char in text):  # most start with one
        return False
    return not (text.endswith(":") and len(text.split()) < 5)


def claim_id(capsule: str, text: str, taken: set[str], *, single_spaced: bool = False) -> str:
    """Stable id: a hash of the capsule id and the normalized text; repeats get a counter.

    `single_spaced` says `text` is already `" ".join(text.split())` (a draft's cleaned text),
    so that lower-casing alone normalizes it: lower-casing never makes whitespace.
    """
    lowered = text.lower()
    normalized = (lowered if single_spaced else " ".join(lowered.split())).rstrip(".!?;: ")
    material = f"{capsule}\x1f{normalized}"
    candidate = hashlib.sha256(material.encode()).hexdigest()[:16]
    if candidate not in taken:  # nearly always: the loop below is for repeated sentences
        taken.add(candidate)
        return candidate
    for attempt in range(1, 1_000_000):
        digest = hashlib.sha256(f"{material}\x1f{attempt}".encode()).hexdigest()
        candidate = digest[:16]
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise AssertionError("unreachable: hash space exhausted")  # pragma: no cover


def finish(capsule: str, draft: ClaimDraft, taken: set[str], record_text: str) -> Claim:
    """The claim a draft stands for, its citations merged one per key (its own first)."""
    method = draft.method
    citations: tuple[Citation, ...] = ()
    if method is not None:
        ref: MethodRef | None = method.ref()
        if draft.citations:
            citations = tuple(dedupe_citations([*draft.citations, *method.citations]))
        else:  # the common case: the item's citations, already one per key
            citations = method.final_citations()
        institutions = (
            tuple(sorted({**dict.fromkeys(draft.institutions), **method.institutions}))
            if method.institutions
            else tuple(sorted(set(draft.institutions)))
        )
    else:
        ref = draft.mention
        if draft.citations:
            citations = tuple(dedupe_citations(draft.citations))
        institutions = tuple(sorted(set(draft.institutions))) if draft.institutions else ()
    text = draft.text
    start, end = draft.start, draft.end
    written = record_text[start:end]
    raw = None if text == written else written
    return make(
        Claim,
        {
            "id": claim_id(capsule, text, taken, single_spaced=True),
            "capsule": capsule,
            "section": draft.section,
            "implication": draft.implication,
            "text": text,
            "span": make(Span, {"start": start, "end": end}) if start >= 0 and end >= 0 else span(start, end),
            "cleaned": raw is not None,
            "raw": raw,
            "method": ref,
            "institutions": institutions,
            "authors": draft.authors,
            "figures": draft.figures,
            "citations": citations,
        },
    )
