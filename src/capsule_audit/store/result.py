"""An audit's outcome held on disk: what `api.audit` materializes into a Report, and what the
streaming reporters read without ever holding every finding, capsule, claim or record.

Findings, records, claims and clusters are queries over the audit's store, in report order; all
can be read any number of times. The capsule entries are joined on first use (only
the formats listing capsules need them). Close it (or use it as a context manager) to delete
its files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType

from capsule_audit.models.claims import Claim
from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord
from capsule_audit.models.report import (
    REPORT_SCHEMA_VERSION,
    BaselineInfo,
    CapsuleEntry,
    Cluster,
    Report,
    RunInfo,
    Summary,
    ToolInfo,
)
from capsule_audit.models.verdicts import Verdict
from capsule_audit.reporters.json_report import JsonSource
from capsule_audit.store.capsules import CapsuleTable, Entries
from capsule_audit.store.database import Store
from capsule_audit.store.final import FinalFindings
from capsule_audit.store.records import RecordTable
from capsule_audit.store.shared_citations import CLAIM_COLUMNS, claims_in_order


@dataclass
class AuditResult:
    """The report's fields, the long ones as re-readable streams (see `models.report.Report`)."""

    store: Store
    tool: ToolInfo
    run: RunInfo
    summary: Summary
    verdicts: tuple[Verdict, ...]
    final: FinalFindings
    clusters_of: Iterable[Cluster]
    capsule_table: CapsuleTable
    claims_kept: StoredClaims
    records_kept: RecordTable
    schema_version: str = REPORT_SCHEMA_VERSION
    baseline: BaselineInfo | None = None
    _entries: Entries | None = None

    @property
    def findings(self) -> Iterable[Finding]:
        """The final findings in report order."""
        return self.final

    @property
    def clusters(self) -> Iterable[Cluster]:
        """The clusters by key."""
        return self.clusters_of

    @property
    def claims(self) -> Iterable[Claim]:
        """The kept claims in input order (none unless the audit kept them)."""
        return self.claims_kept

    @property
    def records(self) -> Iterable[CapsuleRecord]:
        """The kept records in input order (none unless the audit kept them)."""
        return self.records_kept

    @property
    def capsules(self) -> Iterable[CapsuleEntry]:
        """One entry per capsule, in input order, joined with its claims and findings."""
        if self._entries is None:
            self._entries = Entries(
                self.capsule_table, self.final.capsule_rows(), with_claims=self.claims_kept.listed
            )
        return self._entries

    def to_report(self) -> Report:
        """Everything in memory, as one Report (small inputs, tests, the formats that need it)."""
        return report_of(self)

    def close(self) -> None:
        """Delete the files."""
        self.store.close()

    def __enter__(self) -> AuditResult:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def report_of(source: JsonSource) -> Report:
    """Every field read into memory, as one Report."""
    return Report(
        schema_version=source.schema_version,
        tool=source.tool,
        run=source.run,
        summary=source.summary,
        capsules=tuple(source.capsules),
        claims=tuple(source.claims),
        findings=tuple(source.findings),
        clusters=tuple(source.clusters),
        records=tuple(source.records),
        baseline=source.baseline,
        verdicts=source.verdicts,
    )


_CLAIMS = f"SELECT doc, pos, {CLAIM_COLUMNS} FROM claims ORDER BY doc, pos"


class StoredClaims:
    """The store's claims in input order (none when the audit was not asked to list them)."""

    def __init__(self, store: Store | None) -> None:
        self.store = store

    @property
    def listed(self) -> bool:
        """Whether the audit lists its claims."""
        return self.store is not None

    def __iter__(self) -> Iterator[Claim]:
        if self.store is None:
            return
        yield from claims_in_order(self.store.scan(_CLAIMS))
