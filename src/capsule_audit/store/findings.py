"""Findings in the store: filed as rows, numbered in report order (`store.final` reads them back).

Each finding is one row of the `findings` table (`store.finding_rows`): its fields, the columns
of `finding_sort_key` and a tie-break (`Rank`) that gives findings equal in the report's order
the order the audit produced them: stream findings in input order, then group findings by
(kind, key) of their group, then follow-ups by capsule. `ORDER BY` those is a total order, so
the report is the same for every input order and `--jobs`. The capsules compare by their first
`CAPSULES_HEAD`, then by a digest of the whole list: equal lists stay together, and two longer
lists sharing their head (rare: findings of one group) keep an order of their content only.

The numbering sorts narrow rows (the order's columns and the id); a finding wider than
`INLINE_WIDTH` entries keeps its lists in rows of their own. No row or sort grows with the size
of the group a finding names: whole lists in rows once ran DuckDB out of its memory limit at
100,000 capsules (one finding naming every capsule, ~30 MB in one row).
"""

from __future__ import annotations

import pyarrow as pa

from capsule_audit.models.findings import Finding
from capsule_audit.store.database import Store
from capsule_audit.store.finding_rows import FINDING_TABLES, FindingRows, Rank, finding_rows, finding_tables

__all__ = ["FindingTable", "Rank"]

BUFFER_ROWS = 20_000
"""Rows (findings and list entries) buffered before they go to the store."""
ORDER = (
    "f.rule, f.s_key, f.s_head, f.s_tail, f.s_field,"
    " f.s_span, f.s_file, f.s_line, f.s_pointer, f.fingerprint,"
    " f.phase, f.t_kind, f.t_key, f.t_first, f.t_second"
)
"""The report order (`finding_sort_key`), then the tie-break: a total order."""
_SORTED = f"SELECT f.id FROM findings f ORDER BY {ORDER}"
ORDER_ROWS = pa.schema([("n", pa.int64()), ("id", pa.int64())])


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
            self._send()

    @property
    def filed(self) -> int:
        """How many findings were filed (and ids reserved)."""
        return self._filed

    def reserve(self, n: int) -> int:
        """Take the next `n` ids for findings filed by others (a chunk's, `store.chunks`); the first.

        Filed after them, this table's own findings (group, follow-up) number on past them.
        """
        first = self._filed
        self._filed += n
        return first

    def flush(self) -> None:
        """Send the buffered rows to the store, and have it insert them."""
        self._send()
        for name in FINDING_TABLES:
            self.store.flush(name)

    def _send(self) -> None:
        """Queue the buffered rows in the store (`Store.append`: inserted a row group at a time)."""
        buffered = self._buffered
        self._buffered, self._entries = [], 0
        for name, table in finding_tables(buffered).items():
            self.store.append(name, table)

    def number_the_order(self, order: str) -> None:
        """Table `order(n, id)`: the ids of the findings filed, numbered in report order."""
        self.flush()
        con = self.store.con
        reader = con.cursor()
        writer = con.cursor()
        try:
            writer.execute(f"CREATE TABLE {order} (n BIGINT, id BIGINT)")
            reader.execute(_SORTED)
            n = 0
            while rows := reader.fetchmany(65_536):
                numbers = pa.array(range(n, n + len(rows)), type=pa.int64())
                ids = pa.array([number for (number,) in rows], type=pa.int64())
                batch = pa.Table.from_arrays([numbers, ids], schema=ORDER_ROWS)
                writer.register("numbered", batch)
                writer.execute(f"INSERT INTO {order} SELECT * FROM numbered")
                writer.unregister("numbered")
                n += len(rows)
        finally:
            reader.close()
            writer.close()
