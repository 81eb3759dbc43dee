"""Claims rebuilt from `claims` rows whose citations or item sources another claim's row holds.

Two tuples are shared by the claims of a method item (`claims.sharing`): the item's every
citation (by its claims that cite nothing themselves: `cit_from`) and its Source lines (by its
claims that cite their own: `src_from`). The store writes each once, with the first claim that
carries it (`store.rows.claim_rows`). Rebuilding them gives back one shared tuple too, so N such
claims cost one list of citations, not N copies of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import duckdb
import pyarrow as pa

from capsule_audit.models.claims import Citation, Claim
from capsule_audit.store.rows import citation_of, claim_of

Ref = tuple[int, int]
"""(doc, pos): a claim of the store."""
Held = tuple[tuple[Citation, ...], tuple[Citation, ...]]
"""A claim's (citations, item_sources)."""

CLAIM_COLUMNS = """id, capsule, section, implication, text, span, cleaned, raw, method, institutions,
    authors, figures, citations, item_sources, cit_from, src_from"""
"""The claim columns `claim_of` reads, then the two it names the sharing claims by."""
_OWNERS = pa.schema([("doc", pa.int64()), ("pos", pa.int32())])
_CITATIONS = """
SELECT c.doc, c.pos, c.citations, c.item_sources
FROM {claims} c SEMI JOIN owners o ON c.doc = o.doc AND c.pos = o.pos
"""


def rebuilt_claims(
    rows: Sequence[tuple[Any, ...]], known: Mapping[Ref, Claim], cursor: duckdb.DuckDBPyConnection, table: str
) -> dict[Ref, Claim]:
    """Rows (doc, pos, CLAIM_COLUMNS) as claims by (doc, pos); the tuples they share are taken
    from `known` claims or this batch's, else read once from `table`."""
    found: dict[Ref, Claim] = {}
    held: dict[Ref, Held] = {}
    for row in rows:
        if row[-2] is None and row[-1] is None:
            claim = found[(row[0], row[1])] = claim_of(row[2:-2])
            held[(row[0], row[1])] = (claim.citations, claim.item_sources)
    owners = {(row[0], at) for row in rows for at in row[-2:] if at is not None}.difference(held)
    missing: list[Ref] = []
    for owner in sorted(owners):
        if owner in known:
            held[owner] = (known[owner].citations, known[owner].item_sources)
        else:
            missing.append(owner)
    held.update(_read(missing, cursor, table))
    for row in rows:
        if row[-2] is not None or row[-1] is not None:
            found[(row[0], row[1])] = _claim(row, held)
    return found


def _claim(row: tuple[Any, ...], held: Mapping[Ref, Held]) -> Claim:
    """A row (doc, pos, CLAIM_COLUMNS) as a claim, with the tuples its owners hold (`held`)."""
    cit_from, src_from = row[-2], row[-1]
    citations = None if cit_from is None else held[(row[0], cit_from)][0]
    sources = None if src_from is None else held[(row[0], src_from)][1]
    return claim_of(row[2:-2], citations, sources)


def _read(owners: Sequence[Ref], cursor: duckdb.DuckDBPyConnection, table: str) -> Iterator[tuple[Ref, Held]]:
    """The (citations, item_sources) of the `owners` claims, read from `table`."""
    if not owners:
        return
    docs, poss = zip(*owners, strict=True)
    cursor.register("owners", pa.Table.from_arrays([pa.array(docs), pa.array(poss)], schema=_OWNERS))
    try:
        for doc, pos, citations, sources in cursor.execute(_CITATIONS.format(claims=table)).fetchall():
            yield (doc, pos), (_tuple(citations), _tuple(sources))
    finally:
        cursor.unregister("owners")


def _tuple(rows: list[dict[str, Any]] | None) -> tuple[Citation, ...]:
    return tuple(citation_of(c) for c in rows) if rows else ()


def claims_in_order(rows: Iterable[tuple[Any, ...]]) -> Iterator[Claim]:
    """Rows (doc, pos, CLAIM_COLUMNS) in (doc, pos) order as claims: a row's `cit_from` and
    `src_from` claims come before it in its document, so the tuples it shares are at hand."""
    doc: int | None = None
    held: dict[Ref, Held] = {}  # this document's claims' own tuples, by (doc, pos)
    for row in rows:
        if row[0] != doc:
            doc, held = row[0], {}
        claim = _claim(row, held)
        held[(row[0], row[1])] = (claim.citations, claim.item_sources)
        yield claim
