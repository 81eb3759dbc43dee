"""Every identifier one capsule cites, once each, with where it stands: shared by the rule families."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from capsule_audit.identifiers.arxiv import ArxivId, parse_arxiv
from capsule_audit.models.claims import Binding, Citation, Claim, ExtractedCapsule, SourceEntry, Span
from capsule_audit.models.findings import Evidence, Location
from capsule_audit.models.records import CapsuleRecord


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
            return self.claim.text
        return self.source.raw if self.source is not None else self.citation.raw


def _start(span: Span | None) -> int:
    return span.start if span is not None else -1


# The last capsule's answers. Nine rules ask for the same capsule's identifiers one after the
# other; recomputing cost 6% of an audit. Keyed by the object itself (`is`), so it can never
# answer for another capsule; two entries (with and without Sources) at most.
_last: list[tuple[ExtractedCapsule, bool, tuple[Cited, ...]]] = []


def cited_identifiers(extracted: ExtractedCapsule, *, include_sources: bool = True) -> tuple[Cited, ...]:
    """Distinct citation keys in text order: claims first, then Sources entries not cited in claims.

    Truncated citations are included (rules that need whole identifiers skip them).
    """
    for capsule, sources, found in _last:
        if capsule is extracted and sources is include_sources:
            return found
    found = _cited(extracted, include_sources)
    if len(_last) >= 2:
        _last.pop(0)
    _last.append((extracted, include_sources, found))
    return found


def _cited(extracted: ExtractedCapsule, include_sources: bool) -> tuple[Cited, ...]:
    seen: dict[str, Cited] = {}
    for claim in sorted(extracted.claims, key=lambda c: (c.span.start, c.id)):
        for citation in sorted(claim.citations, key=lambda c: (_start(c.span), c.key)):
            seen.setdefault(citation.key, Cited(citation, claim=claim))
    if include_sources:
        for entry in sorted(extracted.sources, key=lambda e: e.index):
            if entry.citation is not None:
                seen.setdefault(entry.citation.key, Cited(entry.citation, source=entry))
    return tuple(seen.values())


def bound_keys(extracted: ExtractedCapsule) -> frozenset[str]:
    """Keys a claim is bound to, explicitly or by position (not merely listed)."""
    return frozenset(
        c.key for claim in extracted.claims for c in claim.citations if c.binding is not Binding.LISTED
    )


def text_location(record: CapsuleRecord, span: Span | None, field: str = "text") -> Location:
    """A location in a record's file, pointing at a field and optionally a span of its text."""
    return Location(
        file=record.source.path,
        line=record.source.line,
        pointer=record.source.pointer or None,
        field=field,
        span=span if field == "text" else None,
    )


def cited_evidence(capsule: str, cited: Cited) -> Evidence:
    """The quoted claim (or Sources line) an identifier came from."""
    return Evidence(
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
