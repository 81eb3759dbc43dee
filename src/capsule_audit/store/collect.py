"""What `api.audit_stream` collects while the dump streams, and the final findings built from it.

`Kept` files each processed item: metadata, findings (with their tie-break) and records when
asked for into spools; claim and member rows into the store's group index. `final_findings` runs the engine's
two suppression passes around the FOLLOW_UP rules as streams, in the engine's order.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence

from capsule_audit.config import AuditConfig, Suppression
from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord, RecordKind
from capsule_audit.pipeline import Processed
from capsule_audit.rules.engine import Engine
from capsule_audit.store.capsules import follow_up, meta_spool
from capsule_audit.store.findings import Ranked, finalize, finding_size, finding_spool, ranked_key, unranked
from capsule_audit.store.groups import GroupIndex
from capsule_audit.store.spool import SortedSpool, Spool, Workspace


def final_findings(engine: Engine, config: AuditConfig, kept: Kept, workspace: Workspace) -> FinalFindings:
    """`engine.suppress` twice, around the FOLLOW_UP rules, as streams over spools."""
    first: Spool[Finding] = Spool(workspace, weight=finding_size)
    first.extend(finalize(unranked(kept.findings), config.suppressions))
    later = follow_up(engine, kept.metas, first, workspace)
    return FinalFindings(first, later, config.suppressions)


class FinalFindings:
    """The report's findings, re-readable: the first pass and the follow-ups, merged on each read.

    Merging on read instead of writing the merge to one more spool saves a pickle and an
    unpickle of every finding; the follow-ups are few (one CA503 per mislabelled capsule).
    """

    def __init__(
        self, first: Spool[Finding], later: SortedSpool[Ranked], suppressions: Sequence[Suppression]
    ) -> None:
        self.first = first
        self.later = later
        self.suppressions = suppressions

    def __iter__(self) -> Iterator[Finding]:
        if not len(self.later):  # the first pass is final already: finalizing it again changes nothing
            return iter(self.first)
        # The first pass is in report order; the follow-ups merge into it (earlier wins ties).
        first = (((0, n), f) for n, f in enumerate(self.first))
        return finalize(unranked(heapq.merge(first, self.later, key=ranked_key)), self.suppressions)

    def close(self) -> None:
        """Close the files (the workspace deletes them)."""
        self.first.close()


class Kept:
    """What the audit keeps of each processed item until the report is built: spools and counts."""

    def __init__(self, workspace: Workspace, *, keep_records: bool) -> None:
        self.keep_records = keep_records
        self.metas = meta_spool(workspace)
        self.findings: SortedSpool[Ranked] = finding_spool(workspace)
        self.records: Spool[CapsuleRecord] = Spool(workspace)
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

    def absorb(self, item: Processed | Finding, index: GroupIndex, engine: Engine) -> None:
        """Count the item; keep its metadata, findings (record when asked); file its rows."""
        self.counts["documents"] += 1
        if isinstance(item, Finding):
            self.counts["rejected"] += 1
            stamped = engine.restamp(item)
            if stamped is not None:
                self.findings.add(((0, self.next_seq()), stamped))
            return
        self.counts[item.meta.kind] += 1
        self.metas.add((item.meta.id, self.counts["documents"], item.meta))
        self.n_claims += len(item.claims)
        for f in item.findings:
            self.findings.add(((0, self.next_seq()), f))
        index.add(self.counts["documents"], item.claims, item.members)
        if item.record is not None and self.keep_records:
            self.records.append(item.record)
