"""SQL to look up the claims some member rows name, with the citations they share.

A claim of a method item may hold no citations of its own but its item's (`cit_from`: another
claim's row holds them) and its item's Source lines likewise (`src_from`, `claims.sharing`). The
clusters, the conflicts table and the METHOD groups' credits (`store.method_scan`) look their
claims up the same way: the claims named, semi-joined, then those they take tuples from.
"""

from __future__ import annotations

CREDIT_COLUMNS = "x.id, x.method, x.institutions, x.figures"
"""The claim columns a cluster's credit reads (`clusters`, `cluster_credits`)."""
NEEDED_CLAIMS = """
needed_c AS (
    SELECT x.doc, x.pos, {columns}, x.citations, x.item_sources, x.cit_from, x.src_from
    FROM {claims} x SEMI JOIN (SELECT DISTINCT doc, pos FROM {rows}) n ON x.doc = n.doc AND x.pos = n.pos
),
needed_o AS (
    SELECT x.doc, x.pos, x.citations FROM {claims} x
    SEMI JOIN (SELECT DISTINCT doc, cit_from FROM needed_c) n ON x.doc = n.doc AND x.pos = n.cit_from
),
needed_s AS (
    SELECT x.doc, x.pos, x.item_sources FROM {claims} x
    SEMI JOIN (SELECT DISTINCT doc, src_from FROM needed_c) n ON x.doc = n.doc AND x.pos = n.src_from
)
"""
"""`WITH` entries: the claims (their `{columns}`, their citations and Source lines and where they
take them from) that member rows `{rows}` (`doc`, `pos`) name, and those they take their
citations and Source lines from. Each a semi-join against the few rows named, so the claims table
is only scanned, never built into a hash table (at 1,000,000 capsules it is ~20M rows)."""
CLAIM_JOINS = """LEFT JOIN needed_c c ON c.doc = r.doc AND c.pos = r.pos
LEFT JOIN needed_o o ON o.doc = c.doc AND o.pos = c.cit_from
LEFT JOIN needed_s s ON s.doc = c.doc AND s.pos = c.src_from"""
"""For member rows `r` (`doc`, `pos` of their claim): the claim `c`, and the claims it takes its
citations (`o`) and its item's Source lines (`s`) from (`NEEDED_CLAIMS`)."""
