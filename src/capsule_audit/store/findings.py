"""Findings in the store: filed as rows, read back in report order, de-duplicated and suppressed.

Each finding is one row of the `findings` table (`store.finding_rows`): its fields, the columns
of `finding_sort_key` and a tie-break (`Rank`) that gives findings equal in the report's order
the order the audit produced them: stream findings in input order, then group findings by
(kind, key) of their group, then follow-ups by capsule. `ORDER BY` those is a total order, so
the report is the same for every input order and `--jobs`. The capsules compare by their first
`CAPSULES_HEAD`, then by a digest of the whole list: equal lists stay together, and two longer
lists sharing their head (rare: findings of one group) keep an order of their content only.

The ordered read sorts narrow rows (the order's columns and the id), numbers them in a table,
and looks the rows up per run of them cut by width; a finding wider than `INLINE_WIDTH` entries
keeps its lists in rows of their own, read for it alone. No row, sort or look-up grows with the
size of the group a finding names: whole lists in rows once ran DuckDB out of its memory limit
at 100,000 capsules (one finding naming every capsule, ~30 MB in one row).

De-duplication needs no set of every fingerprint: a fingerprint hashes the rule, key, capsules
and identity, and the report order starts with rule, key and capsules, so findings sharing a
fingerprint are neighbours; `finalize` remembers the fingerprints of the current block only.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pyarrow as pa

from capsule_audit.config import Suppression
from capsule_audit.models.findings import Finding
from capsule_audit.rules.base import Scope
from capsule_audit.rules.registry import BUILTIN_RULES
from capsule_audit.rules.selection import suppresses
from capsule_audit.store.database import Store
from capsule_audit.store.finding_rows import (
    FIELDS,
    INLINE_WIDTH,
    FindingRows,
    Rank,
    evidence_of,
    finding_of,
    finding_rows,
    finding_tables,
    is_inline,
)

__all__ = ["FindingTable", "Rank", "finalize"]

INPUT_CODES = frozenset(r.code for r in BUILTIN_RULES if r.scope is Scope.INPUT)
"""Input findings (CA0xx) are never de-duplicated: each stands for one rejected document."""

BUFFER_ROWS = 20_000
"""Rows (findings and list entries) buffered before they go to the store."""
FETCH_ROWS = 4096
ORDER = (
    "f.rule, f.s_key, f.s_head, f.s_tail, f.s_field,"
    " f.s_span, f.s_file, f.s_line, f.s_pointer, f.fingerprint,"
    " f.phase, f.t_kind, f.t_key, f.t_first, f.t_second"
)
"""The report order (`finding_sort_key`), then the tie-break: a total order."""
_SORTED = f"SELECT f.id, 1 + f.n_capsules + f.n_claims + f.n_evidence FROM findings f ORDER BY {ORDER}"
_NARROW = "SELECT id, width FROM {order} ORDER BY n"
ORDER_ROWS = pa.schema([("n", pa.int64()), ("id", pa.int64()), ("width", pa.int64())])
WIDTH_BUDGET = 20_000
"""List entries (capsules, claims, evidence) read at a time, besides the row count limit."""
_WIDE = f"""
SELECT f.id, {FIELDS}, f.n_capsules, f.n_claims, f.n_evidence, f.capsules, f.claims, f.evidence
FROM findings f SEMI JOIN wanted w ON f.id = w.id
"""
WANTED = pa.schema([("id", pa.int64())])
# A wide finding's entries: its rows lie together (filed in one go), so DuckDB reads only the
# row groups whose range of ids holds it; sorted by position here, not in DuckDB.
_ENTRIES = {
    "finding_capsules": "SELECT pos, capsule FROM finding_capsules WHERE id = ?",
    "finding_claims": "SELECT pos, claim FROM finding_claims WHERE id = ?",
    "finding_evidence": "SELECT pos, struct_pack(capsule, text, span, binding, claim, span_utf16, sentence,"
    " sentence_span, sentence_span_utf16) FROM finding_evidence WHERE id = ?",
}

_names = itertools.count(1)


class FindingTable:
    """The audit's findings as filed: buffered, then appended to the store in Arrow batches."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._filed = 0
        self._buffered: list[FindingRows] = []
        self._entries = 0

    def add(self, rank: Rank, finding: Finding) -> None:
        """File one finding with its tie-break."""
        rows = finding_rows(self._filed, rank, finding)
        self._filed += 1
        self._buffered.append(rows)
        self._entries += 1 + len(finding.capsules) + len(finding.claims) + len(finding.evidence)
        if self._entries >= BUFFER_ROWS:
            self.flush()

    def reserve(self, n: int) -> int:
        """Take the next `n` ids for findings filed by others (a chunk's, `store.chunks`); the first.

        Filed after them, this table's own findings (group, follow-up) number on past them.
        """
        first = self._filed
        self._filed += n
        return first

    def flush(self) -> None:
        """Send the buffered rows to the store."""
        buffered = self._buffered
        self._buffered, self._entries = [], 0
        for name, table in finding_tables(buffered).items():
            self.store.append(name, table)
            self.store.flush(name)

    def ordered(self) -> Iterator[Finding]:
        """Every finding filed, in report order then tie-break order (not yet finalized)."""
        self.flush()
        order = f"finding_order_{next(_names)}"
        cursor = self.store.con.cursor()
        try:
            self._number_the_order(order)
            cursor.execute(_NARROW.format(order=order))
            while rows := cursor.fetchmany(FETCH_ROWS):
                for ids in _by_width(rows):
                    wide = self._rows_of(ids)
                    for number in ids:
                        yield self._finding(wide.pop(number))
        finally:
            cursor.close()
            # A read abandoned (`| head`) is collected after the store closed: nothing to drop.
            if self.store.db is not None:
                self.store.con.execute(f"DROP TABLE IF EXISTS {order}")

    def _finding(self, row: tuple[Any, ...]) -> Finding:
        """A `_WIDE` row as a Finding, its entries looked up when they are not inline."""
        number, fields = row[0], row[1:-6]
        n_capsules, n_claims, n_evidence, capsules, claims, evidence = row[-6:]
        if not is_inline(n_capsules, n_claims, n_evidence):
            capsules, claims, evidence = (self._entries_of(query, number) for query in _ENTRIES.values())
        return finding_of(fields, tuple(capsules), tuple(claims), tuple(evidence_of(e) for e in evidence))

    def _entries_of(self, query: str, number: int) -> list[Any]:
        """The entries of one list of finding `number`, in their order."""
        cursor = self.store.con.cursor()
        try:
            return [value for _, value in sorted(cursor.execute(query, [number]).fetchall())]
        finally:
            cursor.close()

    def _number_the_order(self, order: str) -> None:
        """Table `order(n, id, width)`: the findings' ids numbered in report order, with their widths."""
        con = self.store.con
        con.execute(f"CREATE TABLE {order} (n BIGINT, id BIGINT, width BIGINT)")
        reader = con.cursor()
        writer = con.cursor()
        try:
            reader.execute(_SORTED)
            n = 0
            while rows := reader.fetchmany(65_536):
                ids, widths = zip(*rows, strict=True)
                numbers = pa.array(range(n, n + len(rows)), type=pa.int64())
                batch = pa.Table.from_arrays([numbers, pa.array(ids), pa.array(widths)], schema=ORDER_ROWS)
                writer.register("numbered", batch)
                writer.execute(f"INSERT INTO {order} SELECT * FROM numbered")
                writer.unregister("numbered")
                n += len(rows)
        finally:
            reader.close()
            writer.close()

    def _rows_of(self, ids: list[int]) -> dict[int, tuple[Any, ...]]:
        """The `_WIDE` rows with these ids, by id."""
        cursor = self.store.con.cursor()
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


def finalize(
    findings: Iterable[Finding],
    suppressions: Sequence[Suppression],
    *,
    input_codes: frozenset[str] = INPUT_CODES,
) -> Iterator[Finding]:
    """Findings in report order, less repeated fingerprints (within a block) and suppressed ones."""
    block: tuple[str, str, tuple[str, ...]] | None = None
    seen: set[str] = set()
    for f in findings:
        if f.rule not in input_codes:
            here = (f.rule, f.key or "", f.capsules)
            if here != block:
                block, seen = here, set()
            if f.fingerprint in seen:
                continue
            seen.add(f.fingerprint)
        if suppressions and any(suppresses(s, f) for s in suppressions):
            continue
        yield f
