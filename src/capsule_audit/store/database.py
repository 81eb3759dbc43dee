"""The audit's store: one DuckDB database (embedded, no server) holding the audit's rows.

Tables (`doc` is the document's 1-based place in the input, the order everything is filed in):
- `claims(doc, pos, id, capsule, section, implication, text, span, cleaned, raw, method,
  institutions, authors, figures, citations, item_sources, cit_from, src_from)`: every claim;
  `figures`, `citations` and `item_sources` are lists of structs (a citation: scheme, key, raw,
  span, version, venue, stated_date, stated_precision, binding, confidence, truncated).
  `citations` is null when the claim's are those of the claim `cit_from` of its document (a
  method item's claims share one tuple), `item_sources` (its item's Source lines) when they are
  those of the claim `src_from`.
- `members(kind, key, doc, seq, capsule, claim_id, citation_key, digest, path, line, idx,
  pointer, claim_pos, cit_ix, citation, name, date_created, text_sample, sample_seq,
  astral)`: one row per group entry (`rules.index.members_for`): the claim it came from is
  `claims(doc, pos = claim_pos)`, its citation that claim's (or its `cit_from`'s)
  `citations[cit_ix + 1]`, for `cit_ix` below 0 its `item_sources[-cit_ix]`, or
  `citation` for a Sources entry bound to no claim; its text sample `samples(doc, seq =
  sample_seq)`.
- `samples(doc, seq, capsule, packed_sample)`: a text sample, once for the members sharing it.

Rows arrive as Arrow tables (`append`), queued per table and inserted a few thousand rows at a
time (`flush`), so inserting costs a few C calls per batch, not one Python call per row. A
temporary store lives in a temporary directory removed by `close`.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from capsule_audit import interrupts
from capsule_audit.errors import CapsuleAuditError
from capsule_audit.store.schema import TABLES

BUFFER_ROWS = 20_000
"""Rows of a working table sent to DuckDB at once (`Store.table`)."""
ROW_GROUP_ROWS = 122_880
"""DuckDB's row group. Rows are inserted a whole number of row groups at a time (`Store.append`):
DuckDB can write those straight to the file, compressed, where a partial row group goes through
the log and, it seems, is written again at each checkpoint until it is full (the mechanism is
inferred from the numbers, not from DuckDB's documentation). Measured on 1,000,000 claim rows of
the synthetic dump, each insert checkpointed: 12.2 CPU-s in inserts of 20,000 rows, 9.4 of
61,440, 2.6 of 122,880 (131,072: 5.8), and a 44 MiB file instead of 59."""
FETCH_ROWS = 4096
"""Rows read from DuckDB at once (`Store.scan`)."""
MEMORY_LIMIT = "256MB"
"""DuckDB's own buffer pool; past it, sorts and joins spill to the store's temporary directory."""
MEMORY_LIMIT_VARIABLE = "CAPSULE_AUDIT_STORE_MEMORY"
"""Environment variable that sets the buffer pool instead (DuckDB's syntax: '2GB', '512MB')."""


_SIZE = re.compile(r"\d+(\.\d+)?\s*[KMGT]i?B", re.IGNORECASE)


def configured_memory_limit() -> str:
    """The buffer pool size: `CAPSULE_AUDIT_STORE_MEMORY`, else `MEMORY_LIMIT`."""
    value = os.environ.get(MEMORY_LIMIT_VARIABLE, "").strip() or MEMORY_LIMIT
    if not _SIZE.fullmatch(value):
        raise CapsuleAuditError(f"{MEMORY_LIMIT_VARIABLE}={value!r} is not a size such as '512MB' or '2GB'")
    return value


_names = itertools.count(1)


def sql_literal(text: str) -> str:
    """`text` as an SQL string literal, for the statements that take no parameters (ATTACH)."""
    return "'" + text.replace("'", "''") + "'"


def ipc_bytes(table: pa.Table, schema: pa.Schema | None = None) -> bytes:
    """`table` (in `schema`, else its own) as an Arrow IPC stream, for a trip between processes."""
    # Written into a BytesIO, whose bytes are handed out without a copy: an Arrow output
    # stream's buffer copied to bytes held the rows twice (a 153 MiB table: 307 MiB at the
    # peak, 153 this way; 0.42 -> 0.10 s).
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, schema or table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def rows_table(schema: pa.Schema, rows: Sequence[Sequence[Any]]) -> pa.Table:
    """Rows (tuples in the column order of `schema`) as an Arrow table of `schema`."""
    if not rows:
        return schema.empty_table()
    columns = zip(*rows, strict=True)
    return pa.Table.from_arrays(
        [pa.array(values, type=field.type) for values, field in zip(columns, schema, strict=True)],
        schema=schema,
    )


class Store:
    """A DuckDB database in a temporary directory, with the audit's tables."""

    def __init__(self, directory: str | None = None, *, memory_limit: str | None = None) -> None:
        self._tmp = ""
        self.db: duckdb.DuckDBPyConnection | None = None
        self._queued: dict[str, list[pa.Table]] = {}
        try:
            # An interruption is held until the store is whole, then raised here, where the
            # store can delete itself: its owner never got it.
            with interrupts.deferred():
                self._tmp = tempfile.mkdtemp(prefix="capsule-audit-store-", dir=directory)
                self.path = Path(self._tmp) / "audit.duckdb"
                self.db = duckdb.connect(str(self.path))
                self._configure(Path(self._tmp) / "spill", memory_limit or configured_memory_limit())
        except BaseException:
            self.close()
            raise

    @property
    def directory(self) -> str:
        """The store's temporary directory (removed by `close`): room for an audit's other files."""
        assert self._tmp, "store closed"
        return self._tmp

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The open connection."""
        assert self.db is not None, "store closed"
        return self.db

    def _configure(self, spill: Path, memory_limit: str) -> None:
        db = self.con
        db.execute(f"SET memory_limit = '{memory_limit}'")
        db.execute(f"SET temp_directory = '{spill}'")
        db.execute("SET threads = 1")  # CPU time is what the audit is measured by
        db.execute("SET preserve_insertion_order = false")
        # DuckDB draws a progress bar on stdout for any statement past 2 s (a 200,000-capsule
        # corpus's METHOD scan): into the report itself, when it is written to stdout.
        db.execute("SET enable_progress_bar = false")
        for name, schema in TABLES.items():
            db.register("empty", schema.empty_table())
            db.execute(f"CREATE TABLE {name} AS SELECT * FROM empty")
            db.unregister("empty")

    def append(self, table: str, batch: pa.Table, *, queue_rows: int = ROW_GROUP_ROWS) -> None:
        """Queue `batch` (rows of `table`, in its schema) for `table`. Once `queue_rows` wait, they
        are inserted: whole row groups (`ROW_GROUP_ROWS`), the rest left queued, or, for a smaller
        `queue_rows` (rows too wide to hold a row group of), all of them.

        Rows queued are not yet visible to queries: their owner flushes the table before reading it.
        """
        if not batch.num_rows:
            return
        queue = self._queued.setdefault(table, [])
        queue.append(batch)
        queued = sum(b.num_rows for b in queue)
        if queued >= queue_rows:
            self._insert(table, queued if queue_rows < ROW_GROUP_ROWS else queued - queued % ROW_GROUP_ROWS)

    def flush(self, table: str | None = None) -> None:
        """Insert every row queued for `table` (None: for every table)."""
        for name in [table] if table is not None else list(self._queued):
            self._insert(name, sum(b.num_rows for b in self._queued.get(name, ())))

    def _insert(self, table: str, rows: int) -> None:
        """Insert the first `rows` rows queued for `table`, in one statement; the rest stay queued."""
        if not rows:
            return
        queued = pa.concat_tables(self._queued.pop(table))
        if rows < queued.num_rows:
            self._queued[table] = [queued.slice(rows)]
        self.con.register("batch", queued.slice(0, rows))
        self.con.execute(f"INSERT INTO {table} SELECT * FROM batch")
        self.con.unregister("batch")
        if table in TABLES:
            self.con.execute("CHECKPOINT")

    def append_rows(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows (tuples of scalars, types inferred) into a working table of the audit."""
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        batch = pa.Table.from_arrays(
            [pa.array(c) for c in columns], names=[f"c{n}" for n in range(len(columns))]
        )
        self.con.register("batch", batch)
        self.con.execute(f"INSERT INTO {table} SELECT * FROM batch")
        self.con.unregister("batch")

    def table(self, prefix: str, columns: str, rows: Iterable[Sequence[Any]]) -> str:
        """A new working table of `rows` (sent in batches), named `prefix_n`; its name.

        `columns`: its SQL column definitions, e.g. "capsule VARCHAR, n BIGINT".
        """
        name = f"{prefix}_{next(_names)}"
        self.con.execute(f"CREATE TABLE {name} ({columns})")
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BUFFER_ROWS:
                self.append_rows(name, batch)
                batch = []
        self.append_rows(name, batch)
        return name

    def scan(self, query: str) -> Iterator[tuple[Any, ...]]:
        """The rows of `query`, read a batch at a time on a cursor of their own."""
        cursor = self.con.cursor()
        try:
            cursor.execute(query)
            while rows := cursor.fetchmany(FETCH_ROWS):
                yield from rows
        finally:
            cursor.close()

    def close(self) -> None:
        """Close the database and delete its directory (again: nothing)."""
        self._queued.clear()
        if self.db is not None:
            self.db.close()
            self.db = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = ""
