"""Findings rebuilt from the store in a given order of their ids: look-ups by runs, not a sort.

The order comes from a narrow query of (id, width) rows (`store.final`). Rows are looked up per
run of ids cut by width (`WIDTH_BUDGET` list entries); a finding wider than `INLINE_WIDTH`
entries keeps its lists in rows of their own, read for it alone. The rows are never sorted with
their payload: DuckDB's sort does not spill long strings (evidence sentences), and sorting them
ran out of its memory limit at 100,000 capsules, and at 24 MB for a few wide findings.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa

from capsule_audit.models.findings import Finding
from capsule_audit.store.database import FETCH_ROWS, Store
from capsule_audit.store.finding_rows import FIELDS, INLINE_WIDTH, evidence_of, finding_of, is_inline

WIDTH_BUDGET = 20_000
"""List entries (capsules, claims, evidence) read at a time, besides the row count limit."""
_WIDE = f"""
SELECT f.id, {FIELDS}, f.n_capsules, f.n_claims, f.n_evidence, f.capsules, f.claims, f.evidence
FROM findings f SEMI JOIN wanted w ON f.id = w.id
"""
WANTED = pa.schema([("id", pa.int64())])
# A wide finding's entries: its rows lie together (filed in one go), so DuckDB reads only the
# row groups whose range of ids holds it; sorted by position here, not in DuckDB.
_ENTRIES = (
    "SELECT pos, capsule FROM finding_capsules WHERE id = ?",
    "SELECT pos, claim FROM finding_claims WHERE id = ?",
    "SELECT pos, struct_pack(capsule, text, span, binding, claim, span_utf16, sentence,"
    " sentence_span, sentence_span_utf16) FROM finding_evidence WHERE id = ?",
)


def read_findings(store: Store, ordered: str, parameters: Sequence[Any] = ()) -> Iterator[Finding]:
    """The findings whose (id, width) rows `ordered` gives, in that order."""
    cursor = store.con.cursor()
    try:
        cursor.execute(ordered, parameters)
        while rows := cursor.fetchmany(FETCH_ROWS):
            for ids in _by_width(rows):
                wide = _rows_of(store, ids)
                for number in ids:
                    yield _finding(store, wide.pop(number))
    finally:
        cursor.close()


def _finding(store: Store, row: tuple[Any, ...]) -> Finding:
    """A `_WIDE` row as a Finding, its entries looked up when they are not inline."""
    number, fields = row[0], row[1:-6]
    n_capsules, n_claims, n_evidence, capsules, claims, evidence = row[-6:]
    if not is_inline(n_capsules, n_claims, n_evidence):
        capsules, claims, evidence = (_entries_of(store, query, number) for query in _ENTRIES)
    return finding_of(fields, tuple(capsules), tuple(claims), tuple(evidence_of(e) for e in evidence))


def _entries_of(store: Store, query: str, number: int) -> list[Any]:
    """The entries of one list of finding `number`, in their order."""
    cursor = store.con.cursor()
    try:
        return [value for _, value in sorted(cursor.execute(query, [number]).fetchall())]
    finally:
        cursor.close()


def _rows_of(store: Store, ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """The `_WIDE` rows with these ids, by id."""
    cursor = store.con.cursor()
    try:
        cursor.register("wanted", pa.Table.from_arrays([pa.array(ids, type=pa.int64())], schema=WANTED))
        cursor.execute(_WIDE)
        return {row[0]: row for row in cursor.fetchall()}
    finally:
        cursor.close()


def _by_width(rows: list[tuple[int, int]]) -> Iterator[list[int]]:
    """The ids of `rows` in order, cut into runs of at most `WIDTH_BUDGET` list entries (or one row)."""
    ids: list[int] = []
    width = 0
    for number, entries in rows:
        if ids and width + entries > WIDTH_BUDGET:
            yield ids
            ids, width = [], 0
        ids.append(number)
        width += min(entries, INLINE_WIDTH + 1)  # a wide finding's entries are read on their own
    if ids:
        yield ids
