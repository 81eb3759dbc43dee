"""A realistic hand-built Report for reporter tests: capsules from two batches, claims, findings
with evidence and spans, a cluster, a rejected document, and hostile capsule text."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from capsule_audit.models.claims import Binding, Claim, Figure, Span
from capsule_audit.models.findings import Evidence, Finding, Location, Severity
from capsule_audit.models.records import CapsuleRecord, RecordKind, SourceRef
from capsule_audit.models.report import (
    CapsuleEntry,
    Cluster,
    ClusterMember,
    Report,
    RunInfo,
    Summary,
    ToolInfo,
)
from capsule_audit.rules.stamp import fingerprint

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
OLD = "corpus/accepted.ndjson"
NEW = "batch/new/capsules.json"
BROKEN = "batch/new/broken.json"


def capsule_id(n: int) -> str:
    return f"https://forgecascade.org/public/capsules/0000000{n}-aaaa-4bbb-8ccc-ddddeeeeffff"


def _record(n: int, source: SourceRef, name: str, text: str) -> CapsuleRecord:
    return CapsuleRecord(
        id=capsule_id(n),
        name=name,
        text=text,
        source=source,
        date_created=datetime(2026, 4, n, tzinfo=UTC),
    )


TEXTS = {
    1: "## Key Findings\n1. **Direct Preference Optimization (DPO)** from Stanford: 18% higher on "
    "AlpacaEval 2.0. Source: arXiv:2604.01234",
    2: f"## Key Findings\nAs of 2026-05-30 the model {SCRIPT} runs 70B parameters. {IMG}",
    3: "## Key Findings\n1. **Kahneman-Tversky Optimization (KTO)** from ContextualAI. "
    f"Source: arXiv:2604.01234 {IMG}",
}


def finding(
    rule: str,
    name: str,
    severity: Severity,
    message: str,
    capsules: tuple[int, ...] = (),
    key: str | None = None,
    location: Location | None = None,
    evidence: tuple[Evidence, ...] = (),
    identity: str = "",
) -> Finding:
    """A finding stamped the way the engine stamps one (fingerprint from rules.base)."""
    ids = tuple(sorted(capsule_id(n) for n in capsules))
    return Finding(
        rule=rule,
        name=name,
        severity=severity,
        message=message,
        capsules=ids,
        key=key,
        location=location or Location(),
        evidence=evidence,
        fingerprint=fingerprint(rule, key, ids, identity),
    )


def sample_findings() -> tuple[Finding, ...]:
    conflict_1 = Evidence(
        capsule=capsule_id(1), text=TEXTS[1][16:80], span=Span(start=16, end=80), binding=Binding.EXPLICIT
    )
    conflict_3 = Evidence(
        capsule=capsule_id(3), text=f"Kahneman-Tversky {SCRIPT} {IMG}", span=Span(start=20, end=60)
    )
    return (
        finding(
            "CA401",
            "conflicting-attribution",
            Severity.ERROR,
            f"arXiv:2604.01234 is credited with DPO and KTO {SCRIPT}",
            (1, 3),
            key="arxiv:2604.01234",
            location=Location(file=NEW, line=2, pointer="/0/text", field="text", span=Span(start=20, end=60)),
            evidence=(conflict_1, conflict_3),
        ),
        finding(
            "CA303",
            "date-after-creation",
            Severity.WARNING,
            f"'As of 2026-05-30' is after dateCreated 2026-04-02 {IMG}",
            (2,),
            location=Location(file=OLD, line=2, field="text", span=Span(start=19, end=35)),
            evidence=(Evidence(capsule=capsule_id(2), text=f"As of 2026-05-30 {SCRIPT}"),),
        ),
        finding("CA503", "low-trust", Severity.INFO, "trust level 30 is in quarantine", (1,)),
        finding(
            "CA001",
            "unreadable-input",
            Severity.ERROR,
            "invalid JSON: expecting value at line 1 column 35",
            location=Location(file=BROKEN, line=1),
            identity="sha256:broken",
        ),
    )


def sample_report(findings: tuple[Finding, ...] | None = None) -> Report:
    """The sample report; `findings` replaces the sample findings (summary recomputed)."""
    sources = {
        1: SourceRef(path=OLD, line=1, index=0),
        2: SourceRef(path=OLD, line=2, index=1),
        3: SourceRef(path=NEW, line=2, index=0, pointer="/0"),
    }
    names = {1: "DPO capsule", 2: f"Scaling {SCRIPT} {IMG}", 3: f"KTO {IMG}"}
    records = tuple(_record(n, sources[n], names[n], TEXTS[n]) for n in (1, 2, 3))
    claims = tuple(
        Claim(
            id=f"claim-{n}",
            capsule=capsule_id(n),
            section="Key Findings",
            text=TEXTS[n][16:],
            span=Span(start=16, end=len(TEXTS[n])),
        )
        for n in (1, 2, 3)
    )
    findings = sample_findings() if findings is None else findings
    entries = []
    for record, claim in zip(records, claims, strict=True):
        mine = [f for f in findings if record.id in f.capsules]
        worst = max((f.severity for f in mine), key=lambda s: s.rank, default=None)
        entries.append(
            CapsuleEntry(
                id=record.id,
                source=record.source,
                name=record.name,
                date=record.date_created,
                kind=RecordKind.CAPSULE,
                status=worst.value if worst else "clean",
                claims=(claim.id,),
                findings=tuple(f.fingerprint for f in mine),
            )
        )
    cluster = Cluster(
        key="arxiv:2604.01234",
        conflicting=True,
        members=(
            ClusterMember(
                capsule=capsule_id(1),
                claim="claim-1",
                method="Direct Preference Optimization",
                acronym="DPO",
                institutions=("Stanford University",),
                figures=(Figure(value=18, unit="%", raw="18% higher", direction="higher"),),
                binding=Binding.EXPLICIT,
            ),
            ClusterMember(
                capsule=capsule_id(3),
                claim="claim-3",
                method=f"KTO {SCRIPT}",
                acronym="KTO",
                institutions=(f"ContextualAI {IMG}",),
                binding=Binding.POSITIONAL,
            ),
        ),
    )
    severities = Counter(f.severity.value for f in findings)
    summary = Summary(
        documents=4,
        capsules=3,
        digests=0,
        rejected=1,
        claims=len(claims),
        findings={s.value: severities.get(s.value, 0) for s in Severity},
        by_rule=dict(sorted(Counter(f.rule for f in findings).items())),
    )
    return Report(
        tool=ToolInfo(version="0.1.0"),
        run=RunInfo(started=NOW, now=NOW, inputs=("corpus", "batch"), rules={"CA401": "1"}),
        summary=summary,
        capsules=tuple(entries),
        claims=claims,
        findings=findings,
        clusters=(cluster,),
        records=records,
    )
