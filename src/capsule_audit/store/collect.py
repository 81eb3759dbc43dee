"""What `api.audit_stream` collects while the dump streams, and the final findings built from it.

`Kept` files each chunk of the stream (`store.chunks`) into the store: its capsule, finding
(with their tie-break), claim and member rows; records, when asked for, too. It only shifts the
chunk's numbers (documents, finding ids and tie-breaks, records) past those before it: finding
ids continue the `FindingTable`'s own (`reserve`), so they are unique in the store. `final_findings`
settles the findings (`store.final`: in report order, de-duplicated and suppressed), runs the
FOLLOW_UP rules on the heads of those, and files their findings beside the others: the final
findings are then one settled table.
"""

from __future__ import annotations

from capsule_audit.models.records import RecordKind
from capsule_audit.rules.engine import Engine
from capsule_audit.store.capsules import CapsuleTable, follow_up
from capsule_audit.store.chunks import Chunk
from capsule_audit.store.database import Store
from capsule_audit.store.final import FinalFindings
from capsule_audit.store.finding_rows import FINDING_TABLES
from capsule_audit.store.findings import FindingTable
from capsule_audit.store.groups import GroupIndex
from capsule_audit.store.records import RecordTable


def final_findings(engine: Engine, capsules: CapsuleTable, findings: FindingTable) -> FinalFindings:
    """The final findings: the first pass, and the FOLLOW_UP findings it leads to, in one table."""
    final = FinalFindings(findings, engine.config.suppressions)
    if engine.has_follow_up:
        follow_up(engine, capsules, final.capsule_rows(), findings)
    return final


class Kept:
    """What the audit keeps of each processed item until the report is built, and the counts."""

    def __init__(self, store: Store, *, keep_records: bool, doc_offset: int = 0) -> None:
        self.store = store
        self.keep_records = keep_records
        self.doc_offset = doc_offset  # documents are numbered after those of an attached corpus
        self.index = GroupIndex(store)
        self.capsules = CapsuleTable(store)
        self.findings = FindingTable(store)
        self.records = RecordTable(store)
        self.counts: dict[str, int] = {
            "documents": 0,
            "rejected": 0,
            RecordKind.CAPSULE: 0,
            RecordKind.DIGEST: 0,
        }
        self.n_claims = 0
        self._seq = 0

    def next_seq(self) -> int:
        """A number for each finding in the order found: the last tie-break."""
        self._seq += 1
        return self._seq

    def absorb(self, chunk: Chunk) -> None:
        """Count the chunk's documents and queue its rows, numbered after those before it."""
        counts = chunk.counts
        tables = chunk.renumbered(
            documents=self.doc_offset + self.counts["documents"],
            findings=self.findings.reserve(counts.findings),
            seq=self._seq,
            records=len(self.records),
        )
        self.counts["documents"] += counts.documents
        self.counts["rejected"] += counts.rejected
        self.counts[RecordKind.CAPSULE] += counts.capsules
        self.counts[RecordKind.DIGEST] += counts.digests
        self.n_claims += counts.claims
        self._seq += counts.findings
        for name in ("capsules", "claims", "members", "samples", *FINDING_TABLES):
            self.store.append(name, tables[name])
        if self.keep_records:
            self.records.extend(tables["records"])

    def flush(self) -> None:
        """Send every queued row to the store."""
        self.index.flush()
        self.capsules.flush()
        self.findings.flush()
        self.records.flush()
