"""Claims: atomic statements of a capsule, each bound to the identifiers it cites, with its span."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Frozen):
    """Half-open range `record.text[start:end]`, in Unicode code points (not bytes, not UTF-16 units)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Binding(StrEnum):
    """How a citation was bound to a claim, strongest first."""

    EXPLICIT = "explicit"
    """The claim, or the method item it belongs to, carries the link or `Source:` line."""
    POSITIONAL = "positional"
    """No explicit source: the n-th Sources entry goes with the n-th method (lower confidence)."""
    LISTED = "listed"
    """Only listed under Sources, bound to no claim."""


CitationScheme = Literal["arxiv", "doi", "url", "title"]


class Citation(_Frozen):
    """One cited identifier, normalized, with the raw text it came from."""

    scheme: CitationScheme
    key: str = Field(
        description="Normalized key: 'arxiv:2604.01234', 'doi:10.1038/...', 'url:https://...', 'title:...'."
    )
    raw: str = Field(description="The text as written.")
    span: Span | None = Field(default=None, description="Where `raw` stands in the record text.")
    version: str | None = Field(default=None, description="arXiv version kept apart from the key, e.g. 'v2'.")
    venue: str | None = Field(
        default=None, description="Venue written beside it, e.g. 'Nature Machine Intelligence'."
    )
    stated_date: date | None = Field(
        default=None,
        description="Date written beside it, e.g. 2026-04-10; for a month and year only ('November "
        "2021'), that month's first day.",
    )
    stated_precision: Literal["day", "month"] = Field(
        default="day", description="'month' when only a month and year are written beside it."
    )
    binding: Binding = Binding.EXPLICIT
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    truncated: bool = Field(default=False, description="The identifier is cut off (an export cut).")


class MethodRef(_Frozen):
    """The method a claim is about: from the enclosing numbered header or the sentence itself."""

    name: str | None = None
    acronym: str | None = None


class Figure(_Frozen):
    """A number the text states: '18% higher on AlpacaEval 2.0', '70B parameters'."""

    value: float
    unit: str = Field(description="'%', 'B' (billions), 'M', 'k', 'x', '' ...")
    raw: str
    measure: str | None = Field(
        default=None, description="What it measures, normalized: 'training cost', 'memory usage'."
    )
    direction: Literal["higher", "lower"] | None = None
    span: Span | None = None


class Claim(_Frozen):
    """One atomic, sentence-level statement."""

    @property
    def quote(self) -> str:
        """The claim as written in the record: text[span]."""
        return self.text if self.raw is None else self.raw

    id: str = Field(description="Stable: hash of the capsule id and the normalized claim text.")
    capsule: str = Field(description="The capsule's @id.")
    section: str = Field(
        description="Heading it stands under, e.g. 'Key Findings'; digests: the paragraph heading."
    )
    implication: bool = Field(default=False, description="From the Implications section.")
    text: str
    span: Span
    cleaned: bool = Field(
        default=False, description="True when `text` differs from text[span] (markup removed)."
    )
    raw: str | None = Field(
        default=None, description="When `cleaned`: the record's text[span] as written (what evidence quotes)."
    )
    method: MethodRef | None = None
    institutions: tuple[str, ...] = Field(default=(), description="Canonical institution names.")
    authors: tuple[str, ...] = Field(default=(), description="Credited people or handles ('@lvwerra').")
    figures: tuple[Figure, ...] = ()
    citations: tuple[Citation, ...] = Field(
        default=(),
        description="Its own citations, one per key (a method item's sentence citing nothing: the "
        "item's every citation); a key also in `item_sources` is given here only.",
    )
    item_sources: tuple[Citation, ...] = Field(
        default=(),
        description="The 'Source:' lines of the method item a claim citing its own sources belongs "
        "to: one tuple shared by the item's claims, not a copy per claim.",
    )

    @property
    def all_citations(self) -> tuple[Citation, ...]:
        """Every citation the claim carries, one per key: its own first, then its item's Source
        lines. Costs the item's Source lines: per claim, only where each claim counts alone."""
        if not self.item_sources:
            return self.citations
        own = {c.key for c in self.citations}
        return self.citations + tuple(c for c in self.item_sources if c.key not in own)


def unread_citations(claim: Claim, done: set[tuple[object, ...]], *scope: object) -> list[Citation]:
    """`claim.all_citations` from the tuples not read before, which are now marked read.

    A method item's claims share their tuples (`claims.sharing`): whoever walks every claim's
    citations reads each tuple once per `scope` (none: once per capsule), marked in `done` by its
    identity and the scope; a walk per claim was N*N for an item of N.
    """
    fresh: list[Citation] = []
    if (id(claim.citations), *scope) not in done:
        done.add((id(claim.citations), *scope))
        fresh += claim.citations
    if claim.item_sources and (id(claim.item_sources), *scope) not in done:
        done.add((id(claim.item_sources), *scope))
        own = {c.key for c in claim.citations}  # its own citation of a key stands for it
        fresh += (c for c in claim.item_sources if c.key not in own)
    return fresh


class MethodItem(_Frozen):
    """A numbered method header ('1. **Name (ACRONYM)**') and whether a body follows it."""

    ordinal: int | None
    name: str
    acronym: str | None = None
    span: Span
    has_body: bool


class SourceEntry(_Frozen):
    """One line of the capsule's Sources list, kept even when cut off."""

    index: int
    raw: str
    span: Span
    citation: Citation | None = Field(default=None, description="None when the entry could not be parsed.")
    truncated: bool = False


class ExtractedCapsule(_Frozen):
    """Everything extraction learns from one record."""

    capsule: str
    claims: tuple[Claim, ...] = ()
    methods: tuple[MethodItem, ...] = ()
    sources: tuple[SourceEntry, ...] = ()
    as_of: date | None = Field(default=None, description="The 'As of <date>' stated in the text.")
    name_as_of: date | None = Field(default=None, description="The 'As of <date>' stated in the name.")
    stated_source_count: int | None = Field(default=None, description="Digests: 'Sources (29)'.")
    sections: tuple[str, ...] = Field(default=(), description="Section headings in order.")
