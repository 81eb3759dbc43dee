"""Findings rebuilt from the store in a given order of their ids: read by buckets, not sorted.

The order comes from a narrow query of (id, width) rows (`store.final`). It is cut into buckets
of `BUCKET_WIDTH` list entries; each bucket's rows are read by one scan of the findings table
as Arrow and put in order there; a finding wider than `INLINE_WIDTH` entries keeps its lists in
rows of their own, read for it alone. DuckDB never sorts the rows with their payload: its sort
does not spill long strings (evidence sentences), and sorting them ran out of its memory limit
at 100,000 capsules, and at 24 MB for a few wide findings. Each bucket costs a scan of the whole
table: buckets of 20,000 entries made 1,000s of scans at 1,000,000 capsules (py-spy: ~35% of
writing the report).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from capsule_audit.models.findings import Finding, FindingLine
from capsule_audit.store.database import FETCH_ROWS, Store
from capsule_audit.store.finding_rows import FIELDS, INLINE_WIDTH, evidence_of, finding_of, is_inline

BUCKET_WIDTH = 100_000
"""List entries (capsules, claims, evidence) of the findings read by one scan: at most ~50 MB of
Arrow (long evidence sentences), held while they are rebuilt."""
BUILD_ROWS = 1024
"""Rows of a bucket turned into Python values at a time."""
_WIDE = f"""
SELECT f.id, {FIELDS}, f.n_capsules, f.n_claims, f.n_evidence, f.capsules, f.claims, f.evidence
FROM findings f SEMI JOIN wanted w ON f.id = w.id
"""
_LINES = """
SELECT f.id, f.rule, f.name, f.s_head, f.n_capsules, f.key, f.message, f.location.file, f.location.line
FROM findings f SEMI JOIN wanted w ON f.id = w.id
"""
# A finding's line reads the head of its capsules kept for the order (`s_head`), never its lists.
# A semi join builds its hash table of `wanted` (an inner join may build it of the findings).
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
    return _read_in_order(store, ordered, parameters, _WIDE, lambda row: _finding(store, row))


def read_lines(store: Store, ordered: str, parameters: Sequence[Any] = ()) -> Iterator[FindingLine]:
    """The lines (`FindingLine`) of the findings whose (id, width) rows `ordered` gives, in that order."""
    return _read_in_order(store, ordered, parameters, _LINES, _line)


_Read = TypeVar("_Read")


def _read_in_order(
    store: Store,
    ordered: str,
    parameters: Sequence[Any],
    select: str,
    build: Callable[[tuple[Any, ...]], _Read],
) -> Iterator[_Read]:
    """`select`'s rows (`_WIDE`, `_LINES`) of the ids `ordered` gives, built by `build`, in that order."""
    cursor = store.con.cursor()
    try:
        cursor.execute(ordered, parameters)
        for ids in _buckets(cursor):
            wanted = pa.array(ids, type=pa.int64())
            rows = _rows_of(store, select, wanted)
            order = pc.sort_indices(pc.index_in(rows.column("id"), value_set=wanted))
            for start in range(0, len(order), BUILD_ROWS):
                chunk = rows.take(order[start : start + BUILD_ROWS])
                for row in zip(*(column.to_pylist() for column in chunk.columns), strict=True):
                    yield build(row)
    finally:
        cursor.close()


def _line(row: tuple[Any, ...]) -> FindingLine:
    _, rule, name, head, n_capsules, key, message, file, line = row
    return FindingLine(rule, name, tuple(head), n_capsules, key, message, file, line)


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


def _rows_of(store: Store, select: str, ids: pa.Array) -> pa.Table:
    """`select`'s rows with these ids, in no order. Streamed out of DuckDB: the rows are held
    by Arrow, not in DuckDB's memory limit."""
    cursor = store.con.cursor()
    try:
        cursor.register("wanted", pa.Table.from_arrays([ids], schema=WANTED))
        return cursor.sql(select).to_arrow_reader(FETCH_ROWS).read_all()
    finally:
        cursor.close()


def _buckets(cursor: duckdb.DuckDBPyConnection) -> Iterator[list[int]]:
    """The ids of the cursor's (id, width) rows in order, cut into buckets of at most
    `BUCKET_WIDTH` list entries (or one row)."""
    ids: list[int] = []
    width = 0
    while rows := cursor.fetchmany(FETCH_ROWS):
        for number, entries in rows:
            if ids and width + entries > BUCKET_WIDTH:
                yield ids
                ids, width = [], 0
            ids.append(number)
            width += min(entries, INLINE_WIDTH + 1)  # a wide finding's entries are read on their own
    if ids:
        yield ids
