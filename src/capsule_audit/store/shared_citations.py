"""Claims rebuilt from `claims` rows whose citations another claim's row holds (`cit_from`).

The claims of a method item that cite nothing themselves carry the item's every citation, one
tuple shared by all of them (`claims.extract`); the store writes it once, with the first claim
that carries it (`store.rows.claim_rows`). Rebuilding them gives back one shared tuple too, so
N such claims cost one list of citations, not N copies of it.
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

_OWNERS = pa.schema([("doc", pa.int64()), ("pos", pa.int32())])
_CITATIONS = """
SELECT c.doc, c.pos, c.citations FROM {claims} c SEMI JOIN owners o ON c.doc = o.doc AND c.pos = o.pos
"""


def rebuilt_claims(
    rows: Sequence[tuple[Any, ...]], known: Mapping[Ref, Claim], cursor: duckdb.DuckDBPyConnection, table: str
) -> dict[Ref, Claim]:
    """Rows (doc, pos, id ... citations, cit_from) as claims by (doc, pos); the citations they
    share are taken from `known` claims or this batch's, else read once from `table`."""
    found: dict[Ref, Claim] = {}
    shared: dict[Ref, tuple[Citation, ...]] = {}
    for row in rows:
        if row[-1] is None:
            claim = found[(row[0], row[1])] = claim_of(row[2:-1])
            shared[(row[0], row[1])] = claim.citations
    owners = {(row[0], row[-1]) for row in rows if row[-1] is not None}.difference(shared)
    missing: list[Ref] = []
    for owner in sorted(owners):
        if owner in known:
            shared[owner] = known[owner].citations
        else:
            missing.append(owner)
    shared.update(_read(missing, cursor, table))
    for row in rows:
        if row[-1] is not None:
            found[(row[0], row[1])] = claim_of(row[2:-1], shared[(row[0], row[-1])])
    return found


def _read(
    owners: Sequence[Ref], cursor: duckdb.DuckDBPyConnection, table: str
) -> Iterator[tuple[Ref, tuple[Citation, ...]]]:
    """The citations of the `owners` claims, read from `table`."""
    if not owners:
        return
    docs, poss = zip(*owners, strict=True)
    cursor.register("owners", pa.Table.from_arrays([pa.array(docs), pa.array(poss)], schema=_OWNERS))
    try:
        for doc, pos, citations in cursor.execute(_CITATIONS.format(claims=table)).fetchall():
            yield (doc, pos), tuple(citation_of(c) for c in citations)
    finally:
        cursor.unregister("owners")


def claims_in_order(rows: Iterable[tuple[Any, ...]]) -> Iterator[Claim]:
    """Rows (doc, pos, id ... citations, cit_from) in (doc, pos) order as claims: a row's
    `cit_from` claim comes before it in its document, so the tuple it shares is at hand."""
    doc: int | None = None
    held: dict[int, tuple[Citation, ...]] = {}  # this document's claims' own citations, by pos
    for row in rows:
        if row[0] != doc:
            doc, held = row[0], {}
        cit_from = row[-1]
        claim = claim_of(row[2:-1], None if cit_from is None else held[cit_from])
        if cit_from is None:
            held[row[1]] = claim.citations
        yield claim
