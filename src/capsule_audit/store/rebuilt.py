"""Models rebuilt from store rows (`store.rows` are the other way): unvalidated, since the values
were valid when written, and only for what reaches a rule or a report (the members of the
groups checked, the clusters' credits, the findings read).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from sys import intern
from typing import Any

from capsule_audit.models.claims import Binding, Citation, Claim, Figure, MethodRef, Span
from capsule_audit.models.unvalidated import build


def common(value: str | None) -> str | None:
    """One object for each distinct value of a column that repeats across capsules (a section, a
    scheme, a unit, a method's name, a cited identifier, a capsule's id in each of its claims).
    Arrow gives every row its own copy: a 150,000-claim group held ~15 each per claim."""
    return None if value is None else intern(value)


def _all_common(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(intern(v) for v in values)


def span_of(row: dict[str, int] | None) -> Span | None:
    return None if row is None else build(Span, {"start": row["start"], "end": row["end"]})


def figure_of(row: dict[str, Any]) -> Figure:
    """A figure as the store returns it (a dict), as a Figure."""
    return build(
        Figure,
        {
            "value": row["value"],
            "unit": intern(row["unit"]),
            "raw": intern(row["raw"]),
            "measure": common(row["measure"]),
            "direction": common(row["direction"]),
            "span": span_of(row["span"]),
        },
    )


def citation_of(row: dict[str, Any]) -> Citation:
    """A `citation_row` as the store returns it (a dict), as a Citation."""
    stated: date | None = row["stated_date"]
    return build(
        Citation,
        {
            "scheme": intern(row["scheme"]),
            "key": intern(row["key"]),
            "raw": intern(row["raw"]),
            "span": span_of(row["span"]),
            "version": row["version"],
            "venue": common(row["venue"]),
            "stated_date": stated,
            "stated_precision": common(row["stated_precision"]),
            "binding": Binding(row["binding"]),
            "confidence": row["confidence"],
            "truncated": row["truncated"],
        },
    )


def claim_of(
    row: Sequence[Any],
    shared: tuple[Citation, ...] | None = None,
    sources: tuple[Citation, ...] | None = None,
) -> Claim:
    """The claim columns of a store row (id ... citations, item_sources), as a Claim; `shared` is
    its citations when the row has none of its own (`cit_from`: another claim's), `sources` its
    item sources likewise (`src_from`)."""
    (
        cid,
        capsule,
        section,
        implication,
        text,
        span,
        cleaned,
        raw,
        method,
        institutions,
        authors,
        figures,
        citations,
        item_sources,
    ) = row
    return build(
        Claim,
        {
            "id": cid,
            "capsule": intern(capsule),
            "section": intern(section),
            "implication": implication,
            "text": text,
            "span": span_of(span),
            "cleaned": cleaned,
            "raw": raw,
            "method": None
            if method is None
            else build(MethodRef, {"name": common(method["name"]), "acronym": common(method["acronym"])}),
            "institutions": _all_common(institutions),
            "authors": _all_common(authors),
            "figures": tuple(figure_of(f) for f in figures),
            "citations": _shared(shared) if citations is None else _citations_of(citations),
            "item_sources": _shared(sources) if item_sources is None else _citations_of(item_sources),
        },
    )


def _citations_of(rows: list[dict[str, Any]]) -> tuple[Citation, ...]:
    return tuple(citation_of(c) for c in rows) if rows else ()


def _shared(shared: tuple[Citation, ...] | None) -> tuple[Citation, ...]:
    if shared is None:
        raise AssertionError("a claim row without citations needs those of its `cit_from` (`src_from`) claim")
    return shared


def date_of(value: str | None) -> datetime | None:
    """`date_created` as stored (ISO text, exact round trip)."""
    return None if value is None else datetime.fromisoformat(value)
