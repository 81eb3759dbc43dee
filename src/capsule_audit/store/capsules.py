"""Capsules in the store, and the two per-capsule joins: follow-up heads and report entries.

Both joins need, for every capsule, the findings (and claims) that name it: narrow streams of
(capsule, finding) and (capsule, claim) rows sorted by the capsule's place in the input, merged
with the capsules read in that order (`store.by_capsule`), so a finding naming thousands of
capsules is read once, and nothing per capsule is held but the one being read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.records import CapsuleProperties, RecordKind, SourceRef
from capsule_audit.models.report import CapsuleEntry
from capsule_audit.rules.base import CapsuleMeta, FindingHead, Scope
from capsule_audit.rules.declared import HeadsRead
from capsule_audit.rules.engine import Engine
from capsule_audit.store.by_capsule import Beside, capsules_in_order
from capsule_audit.store.database import Store, rows_table, sql_literal
from capsule_audit.store.findings import FindingTable
from capsule_audit.store.rebuilt import date_of
from capsule_audit.store.schema import CAPSULES

BUFFER_ROWS = 20_000

_META = "id, kind, path, line, idx, pointer, name, properties, date_created"
# The place of each capsule in (id, input) order: the follow-up findings' tie-break, as they
# were numbered when capsules were read in that order (equal findings name one capsule id).
_NUMBERS = "SELECT doc, row_number() OVER (ORDER BY id, doc) FROM capsules ORDER BY doc"
# Only the heads some FOLLOW_UP rule reads (`heads_read`): the others were most of the sort's
# rows (1,000,000 capsules: 15.2M heads; CA503 reads 6.7M of them).
_HEADS = """
SELECT c.doc, h.n, h.rule, h.severity, h.key FROM capsules c JOIN ({heads}) h ON h.capsule = c.id
WHERE {read} ORDER BY c.doc, h.n
"""
_CLAIMS = (
    "SELECT c.doc, cl.id FROM capsules c JOIN claims cl ON cl.capsule = c.id ORDER BY c.doc, cl.doc, cl.pos"
)
_FINDINGS = """
SELECT c.doc, f.fingerprint, f.severity FROM capsules c JOIN {rows} f ON f.capsule = c.id ORDER BY c.doc, f.n
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
            self._send()

    def flush(self) -> None:
        """Send the buffered rows to the store, and have it insert them."""
        self._send()
        self.store.flush("capsules")

    def _send(self) -> None:
        self.store.append("capsules", rows_table(CAPSULES, self._rows))
        self._rows = []

    def ids(self) -> frozenset[str]:
        """The id of every capsule."""
        self.flush()
        return frozenset(row[0] for row in self.store.scan("SELECT DISTINCT id FROM capsules"))

    def paths(self) -> Iterator[tuple[str, str]]:
        """(id, path) of every capsule, in input order."""
        self.flush()
        yield from self.store.scan("SELECT id, path FROM capsules ORDER BY doc")


def follow_up(engine: Engine, capsules: CapsuleTable, heads: str, into: FindingTable) -> None:
    """FOLLOW_UP findings into `into`, each capsule given the heads of the findings naming it.

    `heads`: a query of (capsule, n, rule, severity, key) rows, one per capsule a finding names,
    `n` its place in report order (`store.final.FinalFindings.capsule_rows`). Capsules are read by
    (id, input position), which the tie-break of their findings keeps.
    """
    capsules.flush()
    store = capsules.store
    numbers = Beside(store.scan(_NUMBERS))
    read = heads_read([r.reads for r in engine.rules if r.scope is Scope.FOLLOW_UP])
    heads_of = Beside(store.scan(_HEADS.replace("{read}", read).replace("{heads}", heads)))
    for row in capsules_in_order(store, _META):
        meta = CapsuleMeta(
            row[1],
            RecordKind(row[2]),
            SourceRef.of_columns(row[3], row[4], row[5], row[6]),
            row[7],
            CapsuleProperties.model_validate_json(row[8]),
            date_of(row[9]),
        )
        own: dict[int, FindingHead] = {}  # by seq: one head per finding, in report order
        for seq, rule, severity, key in heads_of.of(row[0]):
            own.setdefault(seq, FindingHead(rule, Severity(severity), key))
        ((number,),) = numbers.of(row[0])
        for n, f in enumerate(engine.follow_up_capsule(meta, tuple(own.values()))):
            into.add((2, "", "", number - 1, n), f)


def heads_read(reads: Sequence[HeadsRead | None]) -> str:
    """SQL true of a head `h` (rule, severity, key) that one of these rules reads ('true': all)."""
    if not reads or any(r is None for r in reads):
        return "true"
    return " OR ".join(f"({_read(r)})" for r in reads if r is not None)


def _read(read: HeadsRead) -> str:
    parts = ["true"]
    if read.severities:
        parts.append(f"h.severity IN ({', '.join(sql_literal(s.value) for s in sorted(read.severities))})")
    if read.rule_prefixes:
        parts.append(" OR ".join(f"starts_with(h.rule, {sql_literal(p)})" for p in read.rule_prefixes))
    if read.keyed:
        parts.append("coalesce(h.key, '') <> ''")
    return " AND ".join(f"({p})" for p in parts)


class Entries:
    """One entry per capsule in input order, joined with its claims and the given findings; re-readable.

    `findings`: a query of the (capsule, n, fingerprint, severity) rows (`FinalFindings.capsule_rows`),
    or findings seen through a filter, whose rows are filed on first use, once. `with_claims`: list
    claim ids (only when the audit lists claims).
    """

    def __init__(
        self, capsules: CapsuleTable, findings: Iterable[Finding] | str, *, with_claims: bool
    ) -> None:
        self.capsules = capsules
        self.findings = findings
        self.with_claims = with_claims
        self._rows: str | None = None

    def __iter__(self) -> Iterator[CapsuleEntry]:
        store = self.capsules.store
        if self._rows is None:
            self.capsules.flush()
            if isinstance(self.findings, str):  # a query of the rows (`FinalFindings.capsule_rows`)
                self._rows = f"({self.findings})"
            else:  # findings seen through a filter (`--focus`): their rows filed once
                self._rows = store.table(
                    "entry_findings",
                    "capsule VARCHAR, n BIGINT, fingerprint VARCHAR, severity VARCHAR",
                    (
                        (capsule, n, f.fingerprint, f.severity.value)
                        for n, f in enumerate(self.findings)
                        for capsule in f.capsules
                    ),
                )
        claims_of = Beside(store.scan(_CLAIMS) if self.with_claims else iter(()))
        findings_of = Beside(store.scan(_FINDINGS.replace("{rows}", self._rows)))
        for row in capsules_in_order(store, "id, path, line, idx, pointer, name, date_created, kind"):
            doc = row[0]
            found = findings_of.of(doc)
            worst = max((Severity(severity) for _, severity in found), key=lambda s: s.rank, default=None)
            yield CapsuleEntry(
                id=row[1],
                source=SourceRef.of_columns(row[2], row[3], row[4], row[5]),
                name=row[6],
                date=date_of(row[7]),
                kind=RecordKind(row[8]),
                status=worst.value if worst is not None else "clean",
                claims=tuple(claim for (claim,) in claims_of.of(doc)),
                findings=tuple(fingerprint for fingerprint, _ in found),
            )
