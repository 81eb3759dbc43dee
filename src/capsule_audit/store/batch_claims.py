"""The claim rows of a run of group batches: one look-up in the store, split per batch in Arrow.

A batch's members name claims by (doc, pos); a claim sharing another's tuples names that claim
too (`cit_from`, `src_from`, `store.shared_citations`). Looked up once per batch, each look-up
scanned the whole claims table: 446 batches of a 1,000,000-capsule dump spent 276 CPU-s there,
most of the group scan. So a run of batches (`RUN_ROWS` member rows) is looked up at once and
each batch then takes its own rows from the run's (`RunClaims.of`): exactly the rows a look-up
of that batch alone returns, in (doc, pos) order.

Claims are looked up for batches of members, not joined before the group scan's sort: sorting
rows that carry whole claims (lists of structs) ran out of DuckDB's memory at 6,000 capsules
under a 128 MB limit, while the members alone sort on disk.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from capsule_audit.store.shared_citations import CLAIM_COLUMNS

RUN_ROWS = 131_072
"""Member rows of the batches whose claims are looked up at once, about (a run ends with the
batch that reaches it; a larger batch is a run of its own)."""

_REFS = "SELECT DISTINCT b.doc, b.claim_pos AS pos FROM scanned b WHERE b.claim_pos IS NOT NULL"
_SHARERS = f"""
WITH refs AS ({_REFS})
SELECT c.doc, c.cit_from, c.src_from FROM {{claims}} c SEMI JOIN refs r ON c.doc = r.doc
WHERE c.cit_from IS NOT NULL OR c.src_from IS NOT NULL
"""
# `sharers`: the claims of the documents asked for that share a tuple another claim's row holds;
# all of those documents', so that a sharing claim's own holder is there too.
_CLAIMS = f"""
WITH refs AS ({_REFS}),
needed AS (
    SELECT doc, pos FROM refs
    UNION SELECT doc, cit_from FROM sharers WHERE cit_from IS NOT NULL
    UNION SELECT doc, src_from FROM sharers WHERE src_from IS NOT NULL
)
SELECT doc, pos, {CLAIM_COLUMNS}
FROM {{claims}} c SEMI JOIN needed n ON c.doc = n.doc AND c.pos = n.pos
"""
# Not sorted by DuckDB: a run holding a giant group fetches most of the dump's claims (750,000
# rows of a 1,000,000-capsule synthetic dump), and DuckDB 2.0.1's sort of rows that wide, in no
# order to begin with, ran out of its 256 MB; Arrow sorts each batch's in the process holding it.


def doc_pos_keys(doc: pa.ChunkedArray, pos: pa.ChunkedArray) -> pa.Array:
    """(doc, pos) as one int64 for set look-ups: doc in the high 32 bits, pos in the low."""
    high = pc.shift_left(pc.cast(doc, pa.int64()), 32)
    joined: pa.ChunkedArray = pc.bit_wise_or(high, pc.cast(pos, pa.int64()))
    return joined.combine_chunks()


class RunClaims:
    """The claim rows a run of batches needs, and the sharing claims of its documents."""

    def __init__(self, looker: duckdb.DuckDBPyConnection, members: pa.Table, claims: str) -> None:
        looker.register("scanned", members)
        try:
            self.sharers = looker.sql(_SHARERS.format(claims=claims)).to_arrow_table()
            looker.register("sharers", self.sharers)
            try:
                self.rows = looker.sql(_CLAIMS.format(claims=claims)).to_arrow_table()
            finally:
                looker.unregister("sharers")
        finally:
            looker.unregister("scanned")
        self._row_keys = doc_pos_keys(self.rows.column("doc"), self.rows.column("pos"))

    def of(self, members: pa.Table) -> pa.Table:
        """The claim rows of one batch of the run, in (doc, pos) order."""
        named = members.filter(pc.is_valid(members.column("claim_pos")))
        wanted = [doc_pos_keys(named.column("doc"), named.column("claim_pos"))]
        docs = pc.unique(named.column("doc"))
        sharing = self.sharers.filter(pc.is_in(self.sharers.column("doc"), value_set=docs))
        for column in ("cit_from", "src_from"):
            held = sharing.filter(pc.is_valid(sharing.column(column)))
            wanted.append(doc_pos_keys(held.column("doc"), held.column(column)))
        keys = pc.unique(pa.concat_arrays(wanted))
        mine = self.rows.filter(pc.is_in(self._row_keys, value_set=keys))
        return mine.take(pc.sort_indices(mine, sort_keys=[("doc", "ascending"), ("pos", "ascending")]))
