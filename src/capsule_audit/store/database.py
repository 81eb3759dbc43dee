"""The audit's store: one DuckDB database (embedded, no server) holding the audit's rows.

Tables (`doc` is the document's 1-based place in the input, the order everything is filed in):
- `claims(doc, pos, id, capsule, section, implication, text, span, cleaned, raw, method,
  institutions, authors, figures, citations)`: every claim; `figures` and `citations` are lists
  of structs (a citation: scheme, key, raw, span, version, venue, stated_date,
  stated_precision, binding, confidence, truncated).
- `members(kind, key, doc, seq, capsule, claim_id, citation_key, digest, path, line, idx,
  pointer, claim_pos, cit_ix, citation, name, date_created, text_sample, packed_sample,
  astral)`: one row per group entry (`rules.index.members_for`): the claim it came from is
  `claims(doc, pos = claim_pos)`, its citation that claim's `citations[cit_ix + 1]`, or
  `citation` for a Sources entry bound to no claim.

Rows arrive in Arrow batches (`append`), so inserting costs a few C calls per batch, not one
Python call per row. A temporary store lives in a temporary directory removed by `close`.
"""

from __future__ import annotations

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

SPAN = pa.struct([("start", pa.int64()), ("end", pa.int64())])
CITATION = pa.struct(
    [
        ("scheme", pa.string()),
        ("key", pa.string()),
        ("raw", pa.string()),
        ("span", SPAN),
        ("version", pa.string()),
        ("venue", pa.string()),
        ("stated_date", pa.date32()),
        ("stated_precision", pa.string()),
        ("binding", pa.string()),
        ("confidence", pa.float64()),
        ("truncated", pa.bool_()),
    ]
)
FIGURE = pa.struct(
    [
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("raw", pa.string()),
        ("measure", pa.string()),
        ("direction", pa.string()),
        ("span", SPAN),
    ]
)
CLAIMS = pa.schema(
    [
        ("doc", pa.int64()),
        ("pos", pa.int32()),
        ("id", pa.string()),
        ("capsule", pa.string()),
        ("section", pa.string()),
        ("implication", pa.bool_()),
        ("text", pa.string()),
        ("span", SPAN),
        ("cleaned", pa.bool_()),
        ("raw", pa.string()),
        ("method", pa.struct([("name", pa.string()), ("acronym", pa.string())])),
        ("institutions", pa.list_(pa.string())),
        ("authors", pa.list_(pa.string())),
        ("figures", pa.list_(FIGURE)),
        ("citations", pa.list_(CITATION)),
    ]
)
MEMBERS = pa.schema(
    [
        ("kind", pa.string()),
        ("key", pa.string()),
        ("doc", pa.int64()),
        ("seq", pa.int32()),
        ("capsule", pa.string()),
        ("claim_id", pa.string()),
        ("citation_key", pa.string()),
        ("digest", pa.string()),
        ("path", pa.string()),
        ("line", pa.int64()),
        ("idx", pa.int64()),
        ("pointer", pa.string()),
        ("claim_pos", pa.int32()),
        ("cit_ix", pa.int32()),
        ("citation", CITATION),
        ("name", pa.string()),
        ("date_created", pa.string()),
        ("text_sample", pa.string()),
        ("packed_sample", pa.binary()),
        ("astral", pa.list_(pa.int64())),
    ]
)
EVIDENCE = pa.struct(
    [
        ("capsule", pa.string()),
        ("text", pa.string()),
        ("span", SPAN),
        ("binding", pa.string()),
        ("claim", pa.string()),
        ("span_utf16", SPAN),
        ("sentence", pa.string()),
        ("sentence_span", SPAN),
        ("sentence_span_utf16", SPAN),
    ]
)
FINDINGS = pa.schema(
    [
        ("id", pa.int64()),  # the finding's number as filed: its lists' rows name it
        # `rules.engine.finding_sort_key` beside the fields it is not one of (rule, capsules,
        # fingerprint): the capsules by their first `CAPSULES_HEAD` (`store.findings`).
        ("s_key", pa.string()),
        ("s_head", pa.list_(pa.string())),
        ("s_tail", pa.string()),
        ("s_field", pa.string()),
        ("s_span", pa.int64()),
        ("s_file", pa.string()),
        ("s_line", pa.int64()),
        ("s_pointer", pa.string()),
        # the tie-break (`store.findings.Rank`)
        ("phase", pa.int8()),
        ("t_kind", pa.string()),
        ("t_key", pa.string()),
        ("t_first", pa.int64()),
        ("t_second", pa.int64()),
        ("rule", pa.string()),
        ("name", pa.string()),
        ("severity", pa.string()),
        ("message", pa.string()),
        ("key", pa.string()),
        (
            "location",
            pa.struct(
                [
                    ("file", pa.string()),
                    ("line", pa.int64()),
                    ("pointer", pa.string()),
                    ("field", pa.string()),
                    ("span", SPAN),
                    ("capsule", pa.string()),
                    ("span_utf16", SPAN),
                    ("text", pa.string()),
                ]
            ),
        ),
        ("fingerprint", pa.string()),
        ("baseline", pa.string()),
        ("n_capsules", pa.int64()),
        ("n_claims", pa.int64()),
        ("n_evidence", pa.int64()),
        # inline unless the finding is wider than `store.finding_rows.INLINE_WIDTH` (then empty)
        ("capsules", pa.list_(pa.string())),
        ("claims", pa.list_(pa.string())),
        ("evidence", pa.list_(EVIDENCE)),
    ]
)
# The lists of a wide finding are rows of their own: one finding naming every capsule of a
# 100,000-capsule dump made a single row of ~30 MB that DuckDB could neither sort nor scan
# under its memory limit.
FINDING_CAPSULES = pa.schema([("id", pa.int64()), ("pos", pa.int32()), ("capsule", pa.string())])
FINDING_CLAIMS = pa.schema([("id", pa.int64()), ("pos", pa.int32()), ("claim", pa.string())])
FINDING_EVIDENCE = pa.schema([("id", pa.int64()), ("pos", pa.int32()), *EVIDENCE])
CAPSULES = pa.schema([("id", pa.int64()), ("pos", pa.int32()), ("capsule", pa.string())])
FINDING_CLAIMS = pa.schema([("id", pa.int64()), ("pos", pa.int32()), ("claim", pa.string())])
FINDING_EVIDENCE = pa.schema(
    [
        ("id", pa.int64()),
        ("pos", pa.int32()),
        ("capsule", pa.string()),
        ("text", pa.string()),
        ("span", SPAN),
        ("binding", pa.string()),
        ("claim", pa.string()),
        ("span_utf16", SPAN),
        ("sentence", pa.string()),
        ("sentence_span", SPAN),
        ("sentence_span_utf16", SPAN),
    ]
)
CAPSULES = pa.schema(
    [
        ("doc", pa.int64()),
        ("id", pa.string()),
        ("kind", pa.string()),
        ("path", pa.string()),
        ("line", pa.int64()),
        ("idx", pa.int64()),
        ("pointer", pa.string()),
        ("name", pa.string()),
        ("properties", pa.string()),  # `CapsuleProperties` as JSON: open-ended (`extra`)
        ("date_created", pa.string()),  # ISO 8601, as given (an exact round trip)
    ]
)
TABLES = {
    "capsules": CAPSULES,
    "claims": CLAIMS,
    "members": MEMBERS,
    "findings": FINDINGS,
    "finding_capsules": FINDING_CAPSULES,
    "finding_claims": FINDING_CLAIMS,
    "finding_evidence": FINDING_EVIDENCE,
}
BUFFER_ROWS = 20_000
"""Rows of a working table sent to DuckDB at once (`Store.table`)."""
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


class Store:
    """A DuckDB database in a temporary directory, with the audit's tables."""

    def __init__(self, directory: str | None = None, *, memory_limit: str | None = None) -> None:
        self._tmp = ""
        self.db: duckdb.DuckDBPyConnection | None = None
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
        for name, schema in TABLES.items():
            db.register("empty", schema.empty_table())
            db.execute(f"CREATE TABLE {name} AS SELECT * FROM empty")
            db.unregister("empty")

    def append(self, table: str, columns: Sequence[Sequence[Any]]) -> None:
        """Insert rows given as columns (one list per field of the table, in schema order)."""
        if not columns or not len(columns[0]):
            return
        batch = pa.Table.from_arrays(
            [pa.array(values, type=field.type) for values, field in zip(columns, TABLES[table], strict=True)],
            schema=TABLES[table],
        )
        self.con.register("batch", batch)
        self.con.execute(f"INSERT INTO {table} SELECT * FROM batch")
        self.con.unregister("batch")
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
        if self.db is not None:
            self.db.close()
            self.db = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = ""
