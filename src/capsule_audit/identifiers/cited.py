"""Every identifier one capsule cites, once each, with where it stands: shared by the rule families."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from capsule_audit.identifiers.arxiv import ArxivId, parse_arxiv
from capsule_audit.models.claims import (
    Binding,
    Citation,
    Claim,
    ExtractedCapsule,
    SourceEntry,
    Span,
    unread_citations,
)
from capsule_audit.models.findings import Evidence, Location
from capsule_audit.models.records import CapsuleRecord
from capsule_audit.rules import construct


@dataclass(frozen=True, slots=True)
class Cited:
    """One distinct cited key: its first citation, and the claim or Sources entry it came from."""

    citation: Citation
    claim: Claim | None = None
    source: SourceEntry | None = None

    @property
    def span(self) -> Span | None:
        """Where the identifier is written, else where its claim or entry is."""
        if self.citation.span is not None:
            return self.citation.span
        if self.claim is not None:
            return self.claim.span
        return self.source.span if self.source is not None else None

    @property
    def quote(self) -> str:
        """The text to quote as evidence."""
        if self.claim is not None:
            return self.claim.quote
        return self.source.raw if self.source is not None else self.citation.raw


def _start(span: Span | None) -> int:
    return span.start if span is not None else -1


class _Memo:
    """What the rules ask of one capsule's citations, each part computed on first request."""

    __slots__ = ("arxiv", "extracted", "from_claims", "with_sources")

    def __init__(self, extracted: ExtractedCapsule) -> None:
        self.extracted = extracted
        self.from_claims: tuple[Cited, ...] | None = None
        self.with_sources: tuple[Cited, ...] | None = None
        self.arxiv: tuple[tuple[Cited, ArxivId | None], ...] | None = None


# The last capsule's answers. Ten rules ask for the same capsule's identifiers one after the
# other; recomputing cost 6% of an audit. Keyed by the object itself (`is`), so it can never
# answer for another capsule; one capsule at a time.
_last: list[_Memo] = []


def _memo(extracted: ExtractedCapsule) -> _Memo:
    if _last and _last[0].extracted is extracted:
        return _last[0]
    memo = _Memo(extracted)
    _last[:] = [memo]
    return memo


def cited_identifiers(extracted: ExtractedCapsule, *, include_sources: bool = True) -> tuple[Cited, ...]:
    """Distinct citation keys in text order: claims first, then Sources entries not cited in claims.

    Truncated citations are included (rules that need whole identifiers skip them).
    """
    memo = _memo(extracted)
    if memo.from_claims is None:
        memo.from_claims = _from_claims(extracted)
    if not include_sources:
        return memo.from_claims
    if memo.with_sources is None:
        memo.with_sources = _with_sources(extracted, memo.from_claims)
    return memo.with_sources


def cited_arxiv(extracted: ExtractedCapsule) -> tuple[tuple[Cited, ArxivId | None], ...]:
    """`cited_identifiers` (with Sources), each beside `arxiv_of` its citation, parsed once."""
    memo = _memo(extracted)
    if memo.arxiv is None:
        memo.arxiv = tuple((cited, arxiv_of(cited.citation)) for cited in cited_identifiers(extracted))
    return memo.arxiv


def _from_claims(extracted: ExtractedCapsule) -> tuple[Cited, ...]:
    seen: dict[str, Cited] = {}
    done: set[tuple[object, ...]] = set()  # tuples already read: a method item's claims share them
    for claim in sorted(extracted.claims, key=lambda c: (c.span.start, c.id)):
        fresh = unread_citations(
            claim, done
        )  # every key of a tuple read before is seen, with an earlier claim
        for citation in sorted(fresh, key=lambda c: (_start(c.span), c.key)):
            if citation.key not in seen:
                seen[citation.key] = Cited(citation, claim=claim)
    return tuple(seen.values())


def _with_sources(extracted: ExtractedCapsule, from_claims: tuple[Cited, ...]) -> tuple[Cited, ...]:
    seen = {cited.citation.key: cited for cited in from_claims}
    for entry in sorted(extracted.sources, key=lambda e: e.index):
        if entry.citation is not None and entry.citation.key not in seen:
            seen[entry.citation.key] = Cited(entry.citation, source=entry)
    return tuple(seen.values())


def bound_keys(extracted: ExtractedCapsule) -> frozenset[str]:
    """Keys a claim is bound to, explicitly or by position (not merely listed)."""
    done: set[tuple[object, ...]] = set()
    return frozenset(
        c.key
        for claim in extracted.claims
        for c in unread_citations(claim, done)
        if c.binding is not Binding.LISTED
    )


def text_location(record: CapsuleRecord, span: Span | None, field: str = "text") -> Location:
    """A location in a record's file, pointing at a field and optionally a span of its text."""
    return construct.location(
        file=record.source.path,
        line=record.source.line,
        pointer=record.source.pointer or None,
        field=field,
        span=span if field == "text" else None,
    )


def cited_evidence(capsule: str, cited: Cited) -> Evidence:
    """The quoted claim (or Sources line) an identifier came from."""
    return construct.evidence(
        capsule=capsule,
        text=cited.quote,
        span=cited.claim.span if cited.claim is not None else cited.span,
        binding=cited.citation.binding,
        claim=cited.claim.id if cited.claim is not None else None,
    )


def arxiv_of(citation: Citation) -> ArxivId | None:
    """The arXiv identifier a citation names: an arXiv key, or an arxiv.org abs/pdf URL that the
    extractor kept as a URL because the identifier in it is malformed (`v0`, unknown archive)."""
    if citation.scheme == "arxiv":
        return parse_arxiv(citation.key, citation.version)
    if citation.scheme != "url":
        return None
    parts = urlsplit(citation.key.removeprefix("url:"))
    section, _, rest = parts.path.strip("/").partition("/")
    if not (parts.hostname or "").endswith("arxiv.org") or section not in ("abs", "pdf") or not rest:
        return None
    return parse_arxiv(rest)
