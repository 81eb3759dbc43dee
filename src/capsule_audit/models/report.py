"""The audit report: the one value every output format is rendered from.

`schema_version` follows semver: a field added is a minor bump, a field removed or changed a major.

1.2.0: findings' `location` gains `capsule`, `span_utf16` and `text` (the text at its span);
evidence gains `span_utf16`, `sentence`, `sentence_span` and `sentence_span_utf16`; claims gain
`raw` (text[span] as written, when markup was cleaned away). An evidence `text` with a `span`
is exactly the record's text[span]; group findings located by default (CA4xx, CA505, ...)
point at their first quote's span. Spans count Unicode code points, `*_utf16` UTF-16 units.

1.3.0: citations gain `stated_precision` ('day', or 'month' for a month and year such as
"November 2021" beside the identifier: `stated_date` is then that month's first day).

2.0.0: a claim's `citations` are its own; the `Source:` lines of the method item it belongs to
are its `item_sources`. A tuple of citations several claims of a capsule share (a method item's
Source lines, or its every citation for its claims citing nothing) is written once, with the
first claim carrying it: the later ones name that claim in `item_sources_from` (`citations_from`)
and leave the list empty (`ClaimEntry`). In 1.x every claim held a copy: N*N for an item of N.
1.x reports are still read (`reporters.claim_entries`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from capsule_audit.models.claims import Binding, Claim, Figure
from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord, RecordKind, SourceRef
from capsule_audit.models.verdicts import Verdict

REPORT_SCHEMA_VERSION = "2.0.0"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ToolInfo(_Frozen):
    name: str = "capsule-audit"
    version: str


class RunInfo(_Frozen):
    started: datetime = Field(description="When the run started (the real clock).")
    now: datetime = Field(description="The audit clock (--now, else the start time).")
    inputs: tuple[str, ...]
    configuration: dict[str, Any] = Field(default_factory=dict)
    rules: dict[str, str] = Field(default_factory=dict, description="Rule code to rule version.")
    focus: tuple[str, ...] = Field(
        default=(), description="--focus paths: only findings involving capsules under them are reported."
    )


class Summary(_Frozen):
    documents: int = Field(description="== capsules + digests + rejected")
    capsules: int
    digests: int
    rejected: int
    claims: int
    findings: dict[str, int] = Field(default_factory=dict, description="Findings per severity.")
    by_rule: dict[str, int] = Field(default_factory=dict, description="Findings per rule code.")


class CapsuleEntry(_Frozen):
    id: str
    source: SourceRef
    name: str | None
    date: datetime | None
    kind: RecordKind
    status: str = Field(description="'error', 'warning', 'info' (worst finding) or 'clean'.")
    claims: tuple[str, ...] = ()
    findings: tuple[str, ...] = Field(default=(), description="Fingerprints of findings involving it.")


class ClusterMember(_Frozen):
    capsule: str
    claim: str | None
    method: str | None
    acronym: str | None
    institutions: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    binding: Binding


class Cluster(_Frozen):
    """An identifier cited by more than one capsule, with what each capsule credits to it."""

    key: str
    members: tuple[ClusterMember, ...]
    conflicting: bool = Field(description="Some rule found a conflict on this key.")


class ClaimEntry(Claim):
    """A claim as the JSON report lists it: a tuple it shares with an earlier claim of its capsule
    is given by that claim's id, not copied (`reporters.claim_entries`)."""

    citations_from: str | None = Field(
        default=None,
        description="The id of the earlier claim of the capsule whose `citations` this claim's are "
        "(`citations` is then empty): a method item's claims citing nothing share the item's.",
    )
    item_sources_from: str | None = Field(
        default=None,
        description="The id of the earlier claim of the capsule whose `item_sources` this claim's "
        "are (`item_sources` is then empty): the claims of one method item share its Source lines.",
    )


class BaselineEntry(_Frozen):
    """One accepted finding in a baseline file, keyed by its fingerprint."""

    fingerprint: str
    rule: str
    name: str = ""
    capsules: tuple[str, ...] = ()
    key: str | None = None
    message: str = ""


class BaselineInfo(_Frozen):
    """The outcome of --baseline: counts of new and accepted findings, and stale entries."""

    path: str
    new: int = Field(description="Findings absent from the baseline (the only ones that fail a run).")
    baseline: int = Field(description="Findings already in the baseline.")
    stale: tuple[BaselineEntry, ...] = Field(
        default=(), description="Baseline entries no finding matches any more (fixed or gone)."
    )


class Report(_Frozen):
    schema_version: str = REPORT_SCHEMA_VERSION
    tool: ToolInfo
    run: RunInfo
    summary: Summary
    capsules: tuple[CapsuleEntry, ...] = ()
    claims: tuple[Claim, ...] = ()
    findings: tuple[Finding, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    records: tuple[CapsuleRecord, ...] = Field(default=(), description="The normalized records.")
    baseline: BaselineInfo | None = Field(default=None, description="Set when run with --baseline.")
    verdicts: tuple[Verdict, ...] = Field(
        default=(), description="With --online: one verdict per cited identifier, sorted by key."
    )


class ReportDocument(Report):
    """The report as the JSON file holds it: its claims as `ClaimEntry`s (what the published
    JSON Schema describes and `load_report` reads)."""

    claims: tuple[ClaimEntry, ...] = ()
