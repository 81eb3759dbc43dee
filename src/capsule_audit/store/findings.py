"""Findings in the store: filed as rows, read back in report order, de-duplicated and suppressed.

Each finding is one row of the `findings` table: its fields as columns (location and evidence as
structs), the columns of `finding_sort_key` and a tie-break (`Rank`) that gives findings equal
in the report's order the order the audit produced them: stream findings in input order, then
group findings by (kind, key) of their group, then follow-ups by capsule. `ORDER BY` those is a
total order, so the report is the same for every input order and `--jobs`.

The ordered read sorts narrow rows (the order's columns and the row id) and looks the wide
columns up per fetched batch: sorting whole rows, whose evidence and capsule lists run to
thousands of entries for a finding naming a large group, ran out of DuckDB's memory limit at
100,000 capsules, while the narrow rows sort on disk (as in `store.groups`).

De-duplication needs no set of every fingerprint: a fingerprint hashes the rule, key, capsules
and identity, and the report order starts with rule, key and capsules, so findings sharing a
fingerprint are neighbours; `finalize` remembers the fingerprints of the current block only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pyarrow as pa

from capsule_audit.config import Suppression
from capsule_audit.models.claims import Binding
from capsule_audit.models.findings import Evidence, Finding, Location, Severity
from capsule_audit.models.unvalidated import build
from capsule_audit.rules.base import Scope
from capsule_audit.rules.engine import finding_sort_key
from capsule_audit.rules.registry import BUILTIN_RULES
from capsule_audit.rules.selection import suppresses
from capsule_audit.store.database import Store, rows_table
from capsule_audit.store.rows import span_of
from capsule_audit.store.schema import FINDINGS

Rank = tuple[int, str, str, int, int]
"""The tie-break: (0, '', '', seq, 0) stream, (1, kind, key, seq, 0) group, (2, '', '', capsule, n) follow-up."""

INPUT_CODES = frozenset(r.code for r in BUILTIN_RULES if r.scope is Scope.INPUT)
"""Input findings (CA0xx) are never de-duplicated: each stands for one rejected document."""

BUFFER_ROWS = 20_000
FETCH_ROWS = 4096
FIELDS = "rule, name, severity, message, capsules, claims, key, location, evidence, fingerprint, baseline"
ORDER = (
    "rule, s_key, capsules, s_field, s_span, s_file, s_line, s_pointer, fingerprint,"
    " phase, t_kind, t_key, t_first, t_second"
)
"""The report order (`finding_sort_key`), then the tie-break: a total order."""
# The order is materialized first, as numbered narrow rows (the sort's memory is freed before
# any wide row is read), with each row's width in list entries, so that look-ups are cut by size,
# not count: at 100,000 capsules one batch of 4,096 findings naming thousands of capsules each
# overran DuckDB's memory limit. (A window `row_number()` over the same order does not spill.)
_SORTED = f"SELECT rowid, len(capsules) + len(claims) + len(evidence) FROM findings ORDER BY {ORDER}"
_NARROW = "SELECT id, width FROM finding_order ORDER BY n"
ORDER_ROWS = pa.schema([("n", pa.int64()), ("id", pa.int64()), ("width", pa.int64())])
WIDTH_BUDGET = 20_000
"""List entries (capsules, claims, evidence) looked up at a time, besides the row count limit."""
_WIDE = f"SELECT f.rowid, {FIELDS} FROM findings f SEMI JOIN wanted w ON f.rowid = w.id"
WANTED = pa.schema([("id", pa.int64())])


def _span(span: Any) -> tuple[int, int] | None:
    return None if span is None else (span.start, span.end)


def finding_row(rank: Rank, f: Finding) -> tuple[Any, ...]:
    """A finding as a row of the `findings` table."""
    where = f.location
    _, key, _, field, span, file, line, pointer, _ = finding_sort_key(f)
    return (
        key,
        field,
        span,
        file,
        line,
        pointer,
        *rank,
        f.rule,
        f.name,
        f.severity.value,
        f.message,
        list(f.capsules),
        list(f.claims),
        f.key,
        (
            where.file,
            where.line,
            where.pointer,
            where.field,
            _span(where.span),
            where.capsule,
            _span(where.span_utf16),
            where.text,
        ),
        [
            (
                e.capsule,
                e.text,
                _span(e.span),
                None if e.binding is None else e.binding.value,
                e.claim,
                _span(e.span_utf16),
                e.sentence,
                _span(e.sentence_span),
                _span(e.sentence_span_utf16),
            )
            for e in f.evidence
        ],
        f.fingerprint,
        f.baseline,
    )


def finding_of(row: Sequence[Any]) -> Finding:
    """The `FIELDS` columns of a row, as a Finding."""
    rule, name, severity, message, capsules, claims, key, where, evidence, fingerprint, baseline = row
    location = build(
        Location,
        {
            "file": where["file"],
            "line": where["line"],
            "pointer": where["pointer"],
            "field": where["field"],
            "span": span_of(where["span"]),
            "capsule": where["capsule"],
            "span_utf16": span_of(where["span_utf16"]),
            "text": where["text"],
        },
    )
    return build(
        Finding,
        {
            "rule": rule,
            "name": name,
            "severity": Severity(severity),
            "message": message,
            "capsules": tuple(capsules),
            "claims": tuple(claims),
            "key": key,
            "location": location,
            "evidence": tuple(
                build(
                    Evidence,
                    {
                        "capsule": e["capsule"],
                        "text": e["text"],
                        "span": span_of(e["span"]),
                        "binding": None if e["binding"] is None else Binding(e["binding"]),
                        "claim": e["claim"],
                        "span_utf16": span_of(e["span_utf16"]),
                        "sentence": e["sentence"],
                        "sentence_span": span_of(e["sentence_span"]),
                        "sentence_span_utf16": span_of(e["sentence_span_utf16"]),
                    },
                )
                for e in evidence
            ),
            "fingerprint": fingerprint,
            "baseline": baseline,
        },
    )


class FindingTable:
    """The audit's findings as filed: buffered, then appended to the store in Arrow batches."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._rows: list[tuple[Any, ...]] = []

    def add(self, rank: Rank, finding: Finding) -> None:
        """File one finding with its tie-break."""
        self._rows.append(finding_row(rank, finding))
        if len(self._rows) >= BUFFER_ROWS:
            self.flush()

    def flush(self) -> None:
        """Send the buffered rows to the store."""
        self.store.append("findings", rows_table(FINDINGS, self._rows))
        self._rows = []
        self.store.flush("findings")

    def ordered(self) -> Iterator[Finding]:
        """Every finding filed, in report order then tie-break order (not yet finalized)."""
        self.flush()
        cursor = self.store.con.cursor()
        try:
            self._number_the_order(cursor)
            cursor.execute(_NARROW)
            while rows := cursor.fetchmany(FETCH_ROWS):
                for ids in _by_width(rows):
                    wide = self._rows_of(ids)
                    for rowid in ids:
                        yield finding_of(wide.pop(rowid))
        finally:
            cursor.execute("DROP TABLE IF EXISTS finding_order")
            cursor.close()

    def _number_the_order(self, cursor: Any) -> None:
        """`finding_order(n, id, width)`: the findings' ids numbered in report order."""
        cursor.execute("CREATE OR REPLACE TEMP TABLE finding_order (n BIGINT, id BIGINT, width BIGINT)")
        reader = self.store.con.cursor()
        try:
            reader.execute(_SORTED)
            n = 0
            while rows := reader.fetchmany(65_536):
                ids, widths = zip(*rows, strict=True)
                numbers = pa.array(range(n, n + len(rows)), type=pa.int64())
                batch = pa.Table.from_arrays([numbers, pa.array(ids), pa.array(widths)], schema=ORDER_ROWS)
                cursor.register("numbered", batch)
                cursor.execute("INSERT INTO finding_order SELECT * FROM numbered")
                cursor.unregister("numbered")
                n += len(rows)
        finally:
            reader.close()

    def _rows_of(self, ids: list[int]) -> dict[int, tuple[Any, ...]]:
        """The `FIELDS` columns of the rows with these ids, by id."""
        cursor = self.store.con.cursor()
        try:
            cursor.register("wanted", pa.Table.from_arrays([pa.array(ids, type=pa.int64())], schema=WANTED))
            cursor.execute(_WIDE)
            return {row[0]: row[1:] for row in cursor.fetchall()}
        finally:
            cursor.close()


def _by_width(rows: list[tuple[int, int]]) -> Iterator[list[int]]:
    """The ids of `rows` in order, cut into runs of at most `WIDTH_BUDGET` list entries (or one row)."""
    ids: list[int] = []
    width = 0
    for rowid, entries in rows:
        if ids and width + entries > WIDTH_BUDGET:
            yield ids
            ids, width = [], 0
        ids.append(rowid)
        width += entries
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
