"""Claims rebuilt from `claims` rows whose citations or item sources another claim's row holds.

Two tuples are shared by the claims of a method item (`claims.sharing`): the item's every
citation (by its claims that cite nothing themselves: `cit_from`) and its Source lines (by its
claims that cite their own: `src_from`). The store writes each once, with the first claim that
carries it (`store.rows.claim_rows`). Rebuilding them gives back one shared tuple too, so N such
claims cost one list of citations, not N copies of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from capsule_audit.models.claims import Citation, Claim
from capsule_audit.store.rebuilt import claim_of

Ref = tuple[int, int]
"""(doc, pos): a claim of the store."""
Held = tuple[tuple[Citation, ...], tuple[Citation, ...]]
"""A claim's (citations, item_sources)."""

CLAIM_COLUMNS = """id, capsule, section, implication, text, span, cleaned, raw, method, institutions,
    authors, figures, citations, item_sources, cit_from, src_from"""
"""The claim columns `claim_of` reads, then the two it names the sharing claims by."""


def rebuilt_claims(rows: Iterable[tuple[Any, ...]]) -> dict[Ref, Claim]:
    """Rows (doc, pos, CLAIM_COLUMNS) in (doc, pos) order as claims by (doc, pos): the row of each
    claim whose tuples they share must be among them (`store.group_batches` fetches it with them).
    One pass, so the rows may be a stream: a row is garbage once its claim is built."""
    return dict(_keyed_in_order(rows))


def _claim(row: tuple[Any, ...], held: Mapping[Ref, Held]) -> Claim:
    """A row (doc, pos, CLAIM_COLUMNS) as a claim, with the tuples its owners hold (`held`)."""
    cit_from, src_from = row[-2], row[-1]
    citations = None if cit_from is None else held[(row[0], cit_from)][0]
    sources = None if src_from is None else held[(row[0], src_from)][1]
    return claim_of(row[2:-2], citations, sources)


def claims_in_order(rows: Iterable[tuple[Any, ...]]) -> Iterator[Claim]:
    """Rows (doc, pos, CLAIM_COLUMNS) in (doc, pos) order as claims: a row's `cit_from` and
    `src_from` claims come before it in its document, so the tuples it shares are at hand."""
    for _, claim in _keyed_in_order(rows):
        yield claim


def _keyed_in_order(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Ref, Claim]]:
    doc: int | None = None
    held: dict[Ref, Held] = {}  # this document's claims' own tuples, by (doc, pos)
    for row in rows:
        if row[0] != doc:
            doc, held = row[0], {}
        claim = _claim(row, held)
        ref = (row[0], row[1])
        held[ref] = (claim.citations, claim.item_sources)
        yield ref, claim
