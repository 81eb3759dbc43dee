"""A chunk of the stream as Arrow tables: what a worker hands back, and how the parent files it.

A worker (or, with one job, the main process: the same code) builds one `Chunk` per chunk of
documents: the rows of the store's `capsules`, `claims`, `members`, `samples` and findings
tables (the `findings` rows and the list rows of wide findings, `store.finding_rows`), and of the kept
records, each table in its store schema (`store.schema`), numbered within the chunk (documents
from 1, finding ids from 0 and their tie-break from 1, records from 0). Between processes a
chunk travels as Arrow IPC streams (`to_wire`, `from_wire`), never as pickled models. The parent
only shifts those numbers by what came before (`renumbered`) and queues the tables for the store.
The group pass hands back its findings the same way, a chunk of findings only per batch of
groups (`of_findings`, `group_pass`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord, RecordKind
from capsule_audit.rules.base import CapsuleMeta
from capsule_audit.store.capsules import capsule_row
from capsule_audit.store.database import ipc_bytes, rows_table
from capsule_audit.store.finding_rows import FINDING_TABLES, FindingRows, finding_rows, finding_tables
from capsule_audit.store.rows import ClaimRow, MemberRows
from capsule_audit.store.schema import CAPSULES, CLAIMS, KEPT_RECORDS, MEMBERS, SAMPLES

SCHEMAS = {
    "capsules": CAPSULES,
    "claims": CLAIMS,
    "members": MEMBERS,
    "samples": SAMPLES,
    **FINDING_TABLES,
    "records": KEPT_RECORDS,
}
"""The tables of a chunk; "records" goes to the audit's `RecordTable`, the others by their name."""
NUMBERED = {
    "capsules": {"doc": "documents"},
    "claims": {"doc": "documents"},
    "members": {"doc": "documents"},
    "samples": {"doc": "documents"},
    "findings": {"id": "findings", "t_first": "seq"},
    "finding_capsules": {"id": "findings"},
    "finding_claims": {"id": "findings"},
    "finding_evidence": {"id": "findings"},
    "records": {"n": "records"},
}
"""The columns of each table numbered within the chunk, by what they count (`Chunk.renumbered`)."""

Wire = tuple[tuple[int, ...], list[bytes]]
"""A chunk between processes: its counts, and one Arrow IPC stream per table (`SCHEMAS` order)."""


@dataclass(frozen=True, slots=True)
class Counts:
    """What a chunk held: documents in, and what they became."""

    documents: int = 0
    rejected: int = 0
    capsules: int = 0
    digests: int = 0
    claims: int = 0
    findings: int = 0
    records: int = 0


@dataclass(frozen=True, slots=True)
class Chunk:
    """One chunk's rows, a table per `SCHEMAS` entry, numbered within the chunk."""

    counts: Counts
    tables: dict[str, pa.Table]

    def to_wire(self) -> Wire:
        """The chunk as plain bytes for the trip to the parent."""
        streams = [ipc_bytes(self.tables[name], SCHEMAS[name]) for name in SCHEMAS]
        return tuple(getattr(self.counts, f.name) for f in fields(Counts)), streams

    @classmethod
    def from_wire(cls, wire: Wire) -> Chunk:
        """The chunk `to_wire` sent."""
        counts, streams = wire
        tables = {
            name: pa.ipc.open_stream(data).read_all() for name, data in zip(SCHEMAS, streams, strict=True)
        }
        return cls(Counts(*counts), tables)

    @classmethod
    def of_findings(cls, filed: Sequence[FindingRows]) -> Chunk:
        """A chunk of findings only (a batch of the group pass, `group_pass`), numbered as any
        chunk's: ids from 0, tie-break from 1; its other tables are empty."""
        tables = {name: SCHEMAS[name].empty_table() for name in SCHEMAS}
        tables.update(finding_tables(filed))
        return cls(Counts(findings=len(filed)), tables)

    def renumbered(self, *, documents: int, findings: int, seq: int, records: int) -> dict[str, pa.Table]:
        """The tables, numbered after what came before: `documents`, `findings` filed (their ids),
        `seq` stream findings (their tie-break) and `records` kept."""
        offsets = {"documents": documents, "findings": findings, "seq": seq, "records": records}
        shifted: dict[str, pa.Table] = {}
        for name, table in self.tables.items():
            for column, counter in NUMBERED[name].items():
                offset = offsets[counter]
                if offset and table.num_rows:
                    at = table.schema.get_field_index(column)
                    field = table.schema.field(at)
                    table = table.set_column(
                        at, field, pc.add(table.column(at), pa.scalar(offset, field.type))
                    )
            shifted[name] = table
        return shifted


class ChunkBuilder:
    """Collects one chunk's rows, item by item, in input order."""

    def __init__(self) -> None:
        self._rows: dict[str, list[tuple[Any, ...]]] = {
            name: [] for name in ("capsules", "claims", "members", "samples", "records")
        }
        self._findings: list[FindingRows] = []
        self._documents = self._rejected = self._digests = 0

    def _file(self, findings: Iterable[Finding]) -> None:
        filed = self._findings
        for f in findings:
            # ids from 0 and tie-break from 1, as the parent's FindingTable and Kept number them
            filed.append(finding_rows(len(filed), (0, "", "", len(filed) + 1, 0), f))

    def rejected(self, finding: Finding | None) -> None:
        """A document that became no record; its finding, if this configuration reports it."""
        self._documents += 1
        self._rejected += 1
        self._file(() if finding is None else (finding,))

    def processed(
        self,
        meta: CapsuleMeta,
        findings: Iterable[Finding],
        claims: Iterable[ClaimRow],
        members: MemberRows,
        record: CapsuleRecord | None,
    ) -> None:
        """A record after extraction and the CAPSULE rules: its rows (and itself, when kept)."""
        self._documents += 1
        doc = self._documents
        self._digests += meta.kind is RecordKind.DIGEST
        self._rows["capsules"].append(capsule_row(doc, meta))
        self._file(findings)
        self._rows["claims"].extend((doc, *row) for row in claims)
        self._rows["members"].extend((row[0], row[1], doc, *row[2:]) for row in members.members)
        self._rows["samples"].extend((doc, *row) for row in members.samples)
        if record is not None:
            kept = self._rows["records"]
            kept.append((len(kept), record.model_dump_json()))

    def build(self) -> Chunk:
        """The chunk collected so far."""
        rows = self._rows
        counts = Counts(
            documents=self._documents,
            rejected=self._rejected,
            capsules=len(rows["capsules"]) - self._digests,
            digests=self._digests,
            claims=len(rows["claims"]),
            findings=len(self._findings),
            records=len(rows["records"]),
        )
        tables = {name: rows_table(SCHEMAS[name], rows[name]) for name in rows}
        tables.update(finding_tables(self._findings))
        return Chunk(counts, {name: tables[name] for name in SCHEMAS})
