"""Rows: what extraction hands the store, as plain tuples of scalars (no pickled models).

A capsule becomes claim rows (one per claim, in extraction order) and member rows (one per
(kind, key) entry of `rules.index.members_for`). These are the shapes of the store's `claims`
and `members` tables (`store.schema`); workers build them, so only tuples of str, int, float and
bytes cross the process boundary, as they would leave a Spark `mapPartitions`. The reverse is
`store.rebuilt`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from capsule_audit.claims.sharing import citation_owners, source_owners
from capsule_audit.models.claims import Citation, Claim, Span
from capsule_audit.rules.base import GroupKind, Member

SpanRow = tuple[int, int] | None
CitationRow = tuple[Any, ...]
ClaimRow = tuple[Any, ...]
"""(pos, id, capsule, section, implication, text, span, cleaned, raw, method, institutions, authors,
figures, citations, item_sources, cit_from, src_from): `pos` is the claim's place in its capsule;
`citations` is None when the claim's citations are those of the earlier claim `cit_from` of its
capsule, `item_sources` None when they are those of the claim `src_from` (`claim_rows`)."""
MemberRow = tuple[Any, ...]
"""(kind, key, seq, capsule, claim_id, citation_key, digest, path, line, idx, pointer, claim_pos,
cit_ix, citation, name, date_created, text_sample, sample_seq, astral): `seq` is the filing order
within the capsule, `claim_pos` the claim's `pos`, `cit_ix` its citation's place in the claim's
`citations`, or -1 - its place in the claim's `item_sources`, `sample_seq` the `seq` of its
packed sample's row (`SampleRow`)."""
SampleRow = tuple[int, str, bytes]
"""(seq, capsule, packed_sample): a text sample, filed once for the members sharing it."""


class MemberRows(NamedTuple):
    """One capsule's member rows and the sample rows they name."""

    members: list[MemberRow]
    samples: list[SampleRow]


def _span(span: Span | None) -> SpanRow:
    return None if span is None else (span.start, span.end)


def citation_row(c: Citation) -> CitationRow:
    """A citation as a struct row."""
    return (
        c.scheme,
        c.key,
        c.raw,
        _span(c.span),
        c.version,
        c.venue,
        c.stated_date,
        c.stated_precision,
        c.binding.value,
        c.confidence,
        c.truncated,
    )


def claim_rows(claims: Sequence[Claim]) -> list[ClaimRow]:
    """One capsule's claims as rows of the `claims` table (less their document number).

    The claims of a method item that cite nothing themselves share one tuple, the item's every
    citation, and those citing their own share another, the item's Source lines: each is
    written once, with the first claim that carries it, and the others name that claim
    (`cit_from`, `src_from`, `claims.sharing`). A copy per claim was N*N/2 rows of citations
    for an item of N.
    """
    owners, holders = citation_owners(claims), source_owners(claims)
    return [
        claim_row(pos, claim, cit_from=owners[pos], src_from=holders[pos]) for pos, claim in enumerate(claims)
    ]


def claim_row(pos: int, c: Claim, *, cit_from: int | None = None, src_from: int | None = None) -> ClaimRow:
    """A claim as a row of the `claims` table (less its document number); with `cit_from`
    (`src_from`), its citations (item sources) are left out: they are that claim's."""
    method = None if c.method is None else (c.method.name, c.method.acronym)
    figures = [(f.value, f.unit, f.raw, f.measure, f.direction, _span(f.span)) for f in c.figures]
    return (
        pos,
        c.id,
        c.capsule,
        c.section,
        c.implication,
        c.text,
        _span(c.span),
        c.cleaned,
        c.raw,
        method,
        list(c.institutions),
        list(c.authors),
        figures,
        None if cit_from is not None else [citation_row(one) for one in c.citations],
        None if src_from is not None else [citation_row(one) for one in c.item_sources],
        cit_from,
        src_from,
    )


def member_rows(entries: Iterable[tuple[GroupKind, str, Member]], claims: Sequence[Claim]) -> MemberRows:
    """The member and sample rows of one capsule's entries; `claims` are its claims in `claim_row`
    order. A packed sample is filed once, with the `seq` of its first member (the min-hash bands'
    members share one)."""
    where = {id(c): n for n, c in enumerate(claims)}
    samples: dict[bytes, SampleRow] = {}
    # Per citations tuple (a method item's claims share one): each citation's first place in it.
    # Searching the tuple for every member cost k*k per claim of k citations.
    places: dict[int, dict[int, int]] = {}
    rows: list[MemberRow] = []
    for seq, (kind, key, m) in enumerate(entries):
        claim_pos = cit_ix = citation = None
        if m.claim is not None:
            claim_pos = where[id(m.claim)]
        if m.citation is not None:
            if m.claim is not None:
                cit_ix = _place(m.claim.citations, places).get(id(m.citation))
                if cit_ix is None:  # one of its item's Source lines
                    cit_ix = -1 - _place(m.claim.item_sources, places)[id(m.citation)]
            else:
                citation = citation_row(m.citation)
        src = m.source
        sample_seq = None
        if m.packed_sample:
            sample_seq = samples.setdefault(m.packed_sample, (seq, m.capsule, m.packed_sample))[0]
        rows.append(
            (
                kind.value,
                key,
                seq,
                m.capsule,
                m.claim.id if m.claim else "",
                m.citation.key if m.citation else "",
                m.content_digest,
                src.path,
                src.line,
                src.index,
                src.pointer,
                claim_pos,
                cit_ix,
                citation,
                m.name,
                None if m.date_created is None else m.date_created.isoformat(),
                m.text_sample,
                sample_seq,
                list(m.astral),
            )
        )
    return MemberRows(rows, list(samples.values()))


def _place(cited: tuple[Citation, ...], places: dict[int, dict[int, int]]) -> dict[int, int]:
    """`id(citation)` -> its first index in `cited`, built once per tuple (kept alive by its claim)."""
    found = places.get(id(cited))
    if found is None:
        found = places[id(cited)] = {}
        for n, c in enumerate(cited):
            found.setdefault(id(c), n)
    return found
