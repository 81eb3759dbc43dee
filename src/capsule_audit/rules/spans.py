"""Spans a report can use: UTF-16 offsets, the sentence around a fragment, quotes cut on a word.

Spans count code points (Python's `text[start:end]`); browsers slice UTF-16 code units. The two
differ only after an astral character (outside the Basic Multilingual Plane: emoji,
mathematical letters), so a text is described by the code-point offsets of its astral
characters, empty for nearly every text, and a span converts with one bisection.

Stamping (`rules.stamp`) calls `place` on every finding: it adds UTF-16 spans to the location
and the evidence, the sentence around a quoted fragment (when the record's text is at hand, in
CAPSULE scope), and gives a group finding located by default the span of its first quote.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

from capsule_audit.models.claims import Claim, Span
from capsule_audit.models.findings import Evidence, Location
from capsule_audit.models.records import CapsuleRecord, SourceRef
from capsule_audit.rules import construct
from capsule_audit.rules.credited import Placed

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
SENTENCE_MAX = 400
"""Characters searched on each side of a fragment for its sentence's ends."""
ELLIPSIS = "…"


def astral_offsets(text: str) -> tuple[int, ...]:
    """Code-point offsets of the characters of `text` that take two UTF-16 code units."""
    if text.isascii():
        return ()
    return tuple(m.start() for m in _ASTRAL.finditer(text))


def utf16_span(span: Span, astral: tuple[int, ...]) -> Span:
    """`span` (code points) in UTF-16 code units of the text whose `astral_offsets` are given."""
    if not astral:
        return span
    return Span(
        start=span.start + bisect_left(astral, span.start), end=span.end + bisect_left(astral, span.end)
    )


def sentence_span(text: str, span: Span) -> Span:
    """The sentence or line holding `span`: from the end of the previous one to its own end.

    Sentences end at '.', '!' or '?' before a space, or at a line break; at most `SENTENCE_MAX`
    characters are searched on each side (then the sentence starts or ends on a word).
    """
    low = max(0, span.start - SENTENCE_MAX)
    start = low
    for found in _SENTENCE_END.finditer(text, low, span.start):
        start = found.end()
    if start == low and low > 0:
        space = text.find(" ", low, span.start)
        start = space + 1 if space >= 0 else span.start
    while start < span.start and text[start].isspace():
        start += 1
    high = min(len(text), span.end + SENTENCE_MAX)
    found_end = _SENTENCE_END.search(text, span.end, high)
    if found_end is not None:
        end = found_end.start() + (0 if found_end.group() == "\n" else 1)
    elif high == len(text):
        end = len(text.rstrip())
    else:
        space = text.rfind(" ", span.end, high)
        end = space if space >= 0 else span.end
    return Span(start=start, end=max(end, span.end))


def shorten(text: str, limit: int) -> str:
    """`text`, or its first words up to `limit` characters followed by '…' (never cut mid-word)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if not text[limit].isspace():
        space = max(cut.rfind(" "), cut.rfind("\n"))
        if space > 0:
            cut = cut[:space]
    return cut.rstrip(" \n\t,;:-") + ELLIPSIS


class SpanContext:
    """What stamping knows of the capsules a finding may quote: their sources and texts.

    In CAPSULE scope one record is known whole; in GROUP scope each member's source and astral
    offsets (its text is not kept).
    """

    def __init__(
        self,
        *,
        record: CapsuleRecord | None = None,
        claims: tuple[Claim, ...] = (),
    ) -> None:
        self.record = record
        self.claims = claims  # the record's claims, by span (CAPSULE scope)
        self._sources: dict[str, SourceRef] = {}  # those made or known, by capsule
        self._astral: dict[str, tuple[int, ...]] = {}  # CAPSULE scope: of the record's text
        self._placed: dict[str, Placed] = {}  # GROUP scope: each capsule's first member
        if record is not None:
            self._sources[record.id] = record.source

    @classmethod
    def of_members(cls, members: Iterable[Placed]) -> SpanContext:
        """For a group: what places each capsule (its first member or credit). Sources are read
        from it when asked for: a credit makes its `SourceRef` then, for the few capsules quoted."""
        context = cls()
        for member in members:
            context._placed.setdefault(member.capsule, member)
        return context

    def claim_holding(self, capsule: str, span: Span) -> str | None:
        """Id of the record's claim whose span holds `span` (CAPSULE scope), if any."""
        if self.record is None or self.record.id != capsule:
            return None
        for claim in self.claims:
            if claim.span.start <= span.start and span.end <= claim.span.end:
                return claim.id
        return None

    def source(self, capsule: str) -> SourceRef | None:
        found = self._sources.get(capsule)
        if found is None and (placed := self._placed.get(capsule)) is not None:
            found = self._sources[capsule] = placed.source
        return found

    def text(self, capsule: str, field: str | None = "text") -> str | None:
        """The record's `text` (or `name`) when it is at hand."""
        if self.record is None or self.record.id != capsule:
            return None
        return self.record.name if field == "name" else self.record.text

    def astral(self, capsule: str, field: str | None = "text") -> tuple[int, ...] | None:
        if field != "name" and (placed := self._placed.get(capsule)) is not None:
            return placed.astral
        if capsule not in self._astral or field == "name":
            text = self.text(capsule, field)
            if text is None:
                return None
            if field == "name":
                return astral_offsets(text)
            self._astral[capsule] = astral_offsets(text)
        return self._astral[capsule]


def _evidence(item: Evidence, ctx: SpanContext) -> Evidence:
    if item.span is None:
        return item
    astral = ctx.astral(item.capsule)
    text = ctx.text(item.capsule)
    sentence, around = item.sentence, item.sentence_span
    claim = item.claim or ctx.claim_holding(item.capsule, item.span)
    if text is not None and item.claim is None and around is None:  # a claim is a sentence
        whole = sentence_span(text, item.span)
        if whole != item.span:
            sentence, around = text[whole.start : whole.end], whole
    if astral is None and around is item.sentence_span and claim == item.claim:
        return item
    return construct.evidence(
        capsule=item.capsule,
        text=item.text,
        span=item.span,
        binding=item.binding,
        claim=claim,
        span_utf16=None if astral is None else utf16_span(item.span, astral),
        sentence=sentence,
        sentence_span=around,
        sentence_span_utf16=None if around is None or astral is None else utf16_span(around, astral),
    )


def place(
    location: Location,
    evidence: tuple[Evidence, ...],
    ctx: SpanContext,
    *,
    owner: str | None,
    defaulted: bool,
) -> tuple[Location, tuple[Evidence, ...]]:
    """The location and evidence with UTF-16 spans, texts and sentences added (see the module doc).

    `owner`: the capsule `location` is in, when the caller knows it. `defaulted`: the rule gave
    no location; a finding then points at its first quote with a span (that capsule's source,
    field 'text'), not merely at a member's document.
    """
    evidence = tuple(_evidence(item, ctx) for item in evidence)
    if defaulted and location.span is None:
        for item in evidence:
            source = ctx.source(item.capsule) if item.span is not None else None
            if source is not None:
                located = construct.location(
                    source.path,
                    source.line,
                    source.pointer or None,
                    "text",
                    item.span,
                    item.capsule,
                    item.span_utf16,
                    item.text,
                )
                return located, evidence
    capsule = location.capsule or owner
    if capsule is None or (location.capsule is not None and location.span is None):
        return location, evidence
    span, span16, quoted = location.span, location.span_utf16, location.text
    if span is not None and location.field in (None, "text", "name"):
        if span16 is None:
            astral = ctx.astral(capsule, location.field)
            span16 = None if astral is None else utf16_span(span, astral)
        if quoted is None:
            field = ctx.text(capsule, location.field)
            quoted = None if field is None else field[span.start : span.end]
    return (
        construct.location(
            location.file, location.line, location.pointer, location.field, span, capsule, span16, quoted
        ),
        evidence,
    )
