"""Capsules in the store, and the two per-capsule joins: follow-up heads and report entries.

Both joins need, for every capsule, the findings (and claims) that name it. They are SQL joins of
the `capsules` table with a table of (capsule, finding) rows, grouped per capsule with each list
in report order, so a finding naming thousands of capsules is read once, and nothing per capsule
is held but the one being read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.records import CapsuleProperties, RecordKind
from capsule_audit.models.report import CapsuleEntry
from capsule_audit.rules.base import CapsuleMeta, FindingHead
from capsule_audit.rules.engine import Engine
from capsule_audit.store.database import Store, rows_table
from capsule_audit.store.findings import FindingTable
from capsule_audit.store.rows import date_of, source_of
from capsule_audit.store.schema import CAPSULES

BUFFER_ROWS = 20_000

_FOLLOW_UP = """
SELECT c.id, c.kind, c.path, c.line, c.idx, c.pointer, c.name, c.properties, c.date_created,
    list({'seq': h.seq, 'rule': h.rule, 'severity': h.severity, 'key': h.key} ORDER BY h.seq) FILTER (WHERE h.seq IS NOT NULL), c.doc
FROM capsules c LEFT JOIN {heads} h ON h.capsule = c.id
GROUP BY ALL ORDER BY c.id, c.doc
"""
_ENTRIES = """
WITH own_claims AS (
    SELECT capsule, list(id ORDER BY doc, pos) AS ids FROM claims WHERE {with_claims} GROUP BY capsule
), own_findings AS (
    SELECT capsule, list({'fingerprint': fingerprint, 'severity': severity} ORDER BY n) AS found FROM {rows} GROUP BY capsule
)
SELECT c.id, c.path, c.line, c.idx, c.pointer, c.name, c.date_created, c.kind, oc.ids, f.found
FROM capsules c LEFT JOIN own_claims oc ON oc.capsule = c.id LEFT JOIN own_findings f ON f.capsule = c.id
ORDER BY c.doc
"""


def capsule_row(doc: int, meta: CapsuleMeta) -> tuple[Any, ...]:
    """A capsule as a row of the `capsules` table (`doc`: its place in the input)."""
    src = meta.source
    return (
        doc,
        meta.id,
        meta.kind.value,
        src.path,
        src.line,
        src.index,
        src.pointer,
        meta.name,
        meta.properties.model_dump_json(),
        None if meta.date_created is None else meta.date_created.isoformat(),
    )


class CapsuleTable:
    """The audit's capsules (metadata without text), one row per capsule in input order."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._rows: list[tuple[Any, ...]] = []

    def add(self, doc: int, meta: CapsuleMeta) -> None:
        """File one capsule (`doc`: its place in the input)."""
        self._rows.append(capsule_row(doc, meta))
        if len(self._rows) >= BUFFER_ROWS:
            self.flush()

    def flush(self) -> None:
        """Send the buffered rows to the store."""
        self.store.append("capsules", rows_table(CAPSULES, self._rows))
        self._rows = []
        self.store.flush("capsules")

    def ids(self) -> frozenset[str]:
        """The id of every capsule."""
        self.flush()
        return frozenset(row[0] for row in self.store.scan("SELECT DISTINCT id FROM capsules"))

    def paths(self) -> Iterator[tuple[str, str]]:
        """(id, path) of every capsule, in input order."""
        self.flush()
        yield from self.store.scan("SELECT id, path FROM capsules ORDER BY doc")


def follow_up(engine: Engine, capsules: CapsuleTable, first: Iterable[Finding], into: FindingTable) -> None:
    """FOLLOW_UP findings into `into`, each capsule given the heads of the `first` findings naming it.

    `first` is in report order; capsules are read by (id, input position), which the tie-break
    of their findings keeps.
    """
    if not engine.has_follow_up:
        return
    capsules.flush()
    store = capsules.store
    heads = store.table(
        "heads",
        "capsule VARCHAR, seq BIGINT, rule VARCHAR, severity VARCHAR, key VARCHAR",
        (
            (capsule, seq, f.rule, f.severity.value, f.key)
            for seq, f in enumerate(first)
            for capsule in f.capsules
        ),
    )
    try:
        for number, row in enumerate(store.scan(_FOLLOW_UP.replace("{heads}", heads))):
            meta = CapsuleMeta(
                row[0],
                RecordKind(row[1]),
                source_of(row[2], row[3], row[4], row[5]),
                row[6],
                CapsuleProperties.model_validate_json(row[7]),
                date_of(row[8]),
            )
            own: dict[int, FindingHead] = {}  # by seq: one head per finding, in report order
            for head in row[9] or ():
                own.setdefault(
                    head["seq"], FindingHead(head["rule"], Severity(head["severity"]), head["key"])
                )
            for n, f in enumerate(engine.follow_up_capsule(meta, tuple(own.values()))):
                into.add((2, "", "", number, n), f)
    finally:
        store.con.execute(f"DROP TABLE {heads}")


class Entries:
    """One entry per capsule in input order, joined with its claims and the given findings; re-readable.

    The (capsule, finding) rows are filed on first use, once; `with_claims`: list claim ids
    (only when the audit lists claims).
    """

    def __init__(self, capsules: CapsuleTable, findings: Iterable[Finding], *, with_claims: bool) -> None:
        self.capsules = capsules
        self.findings = findings
        self.with_claims = with_claims
        self._rows: str | None = None

    def __iter__(self) -> Iterator[CapsuleEntry]:
        store = self.capsules.store
        if self._rows is None:
            self.capsules.flush()
            self._rows = store.table(
                "entry_findings",
                "capsule VARCHAR, n BIGINT, fingerprint VARCHAR, severity VARCHAR",
                (
                    (capsule, n, f.fingerprint, f.severity.value)
                    for n, f in enumerate(self.findings)
                    for capsule in f.capsules
                ),
            )
        query = _ENTRIES.replace("{rows}", self._rows).replace("{with_claims}", str(self.with_claims).lower())
        for row in store.scan(query):
            found = row[9] or ()
            worst = max((Severity(x["severity"]) for x in found), key=lambda s: s.rank, default=None)
            yield CapsuleEntry(
                id=row[0],
                source=source_of(row[1], row[2], row[3], row[4]),
                name=row[5],
                date=date_of(row[6]),
                kind=RecordKind(row[7]),
                status=worst.value if worst is not None else "clean",
                claims=tuple(row[8] or ()),
                findings=tuple(x["fingerprint"] for x in found),
            )
