"""Capsules in input order, each beside the rows of other tables that name it: a merge, not a GROUP BY.

The per-capsule joins (follow-up heads, report entries) once grouped the `capsules` table's
wide rows with list aggregates; at 100,000 capsules that ran DuckDB out of its memory limit.
Here the wide rows are read by ranges of `doc` (the table is filed in `doc` order, so each range
reads only its own row groups), and every other table arrives as a narrow stream sorted by
`doc`; the streams are merged in Python, one capsule at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from capsule_audit.store.database import Store

RANGE_DOCS = 4096
"""Documents read per range of the `capsules` table."""

Row = tuple[Any, ...]


def capsules_in_order(store: Store, columns: str) -> Iterator[Row]:
    """`doc, <columns>` of every capsule, in input order."""
    bounds = store.con.execute("SELECT min(doc), max(doc) FROM capsules").fetchone()
    if bounds is None or bounds[0] is None:
        return
    first, last = bounds
    for start in range(first, last + 1, RANGE_DOCS):
        yield from store.con.execute(
            f"SELECT doc, {columns} FROM capsules WHERE doc >= ? AND doc < ? ORDER BY doc",
            [start, start + RANGE_DOCS],
        ).fetchall()


def by_doc(rows: Iterator[Row]) -> Iterator[tuple[int, list[Row]]]:
    """Rows sorted by their first column (`doc`), as (doc, the rest of each row) runs."""
    current: int | None = None
    run: list[Row] = []
    for row in rows:
        if row[0] != current:
            if current is not None:
                yield current, run
            current, run = row[0], []
        run.append(row[1:])
    if current is not None:
        yield current, run


class Beside:
    """A `by_doc` stream read alongside the capsules: the run of each doc asked for, in order."""

    def __init__(self, rows: Iterator[Row]) -> None:
        self._runs = by_doc(rows)
        self._next: tuple[int, list[Row]] | None = next(self._runs, None)

    def of(self, doc: int) -> list[Row]:
        """The rows of `doc` (none if the stream holds none); docs are asked for in rising order."""
        while self._next is not None and self._next[0] < doc:
            self._next = next(self._runs, None)
        if self._next is not None and self._next[0] == doc:
            run = self._next[1]
            self._next = next(self._runs, None)
            return run
        return []
