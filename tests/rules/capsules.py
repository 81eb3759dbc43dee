"""Hand-built records, claims and subjects for rule and engine tests (no extraction needed)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from capsule_audit.models.claims import (
    Binding,
    Citation,
    Claim,
    ExtractedCapsule,
    MethodItem,
    MethodRef,
    Span,
)
from capsule_audit.models.records import CapsuleProperties, CapsuleRecord, RecordKind, SourceRef
from capsule_audit.rules.base import Group, GroupKind, RuleContext, Subject, Violation
from capsule_audit.rules.index import GroupIndex, members_for

NOW = datetime(2026, 6, 1, tzinfo=UTC)
FORGE = "https://forgecascade.org/public/capsules/"


def capsule_id(n: int) -> str:
    """A Forge @id with a distinct uuid for each n."""
    return f"{FORGE}{n:08d}-0000-4000-8000-000000000000"


def record(
    n: int = 1,
    *,
    text: str = "## Key Findings\n- A complete sentence.\n",
    name: str | None = "A capsule",
    path: str = "dump.ndjson",
    line: int | None = None,
    kind: RecordKind = RecordKind.CAPSULE,
    **fields: object,
) -> CapsuleRecord:
    """A capsule record; extra fields (identifier, url, properties, ...) pass through."""
    return CapsuleRecord(
        id=fields.pop("id", capsule_id(n)),  # type: ignore[arg-type]
        name=name,
        text=text,
        kind=kind,
        source=SourceRef(path=path, line=line if line is not None else n),
        **fields,  # type: ignore[arg-type]
    )


def props(**values: object) -> CapsuleProperties:
    return CapsuleProperties(**values)  # type: ignore[arg-type]


def sha(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def citation(key: str, binding: Binding = Binding.EXPLICIT) -> Citation:
    scheme, _, _ = key.partition(":")
    return Citation(scheme=scheme, key=key, raw=key, binding=binding)  # type: ignore[arg-type]


def claim(
    capsule: str,
    text: str,
    *,
    cites: tuple[Citation, ...] = (),
    method: str | None = None,
    acronym: str | None = None,
    implication: bool = False,
) -> Claim:
    cid = hashlib.sha256(f"{capsule}\x1f{text}".encode()).hexdigest()[:16]
    ref = MethodRef(name=method, acronym=acronym) if method or acronym else None
    return Claim(
        id=cid,
        capsule=capsule,
        section="Implications" if implication else "Key Findings",
        implication=implication,
        text=text,
        span=Span(start=0, end=len(text)),
        method=ref,
        citations=cites,
    )


def method_item(name: str, *, has_body: bool, ordinal: int = 1, start: int = 0) -> MethodItem:
    return MethodItem(
        ordinal=ordinal, name=name, span=Span(start=start, end=start + len(name)), has_body=has_body
    )


def subject(rec: CapsuleRecord, **extracted: object) -> Subject:
    return Subject(record=rec, extracted=ExtractedCapsule(capsule=rec.id, **extracted))  # type: ignore[arg-type]


def ctx(**thresholds: float) -> RuleContext:
    return RuleContext(now=NOW, thresholds=thresholds)


def groups_of(records: list[CapsuleRecord], kind: GroupKind) -> list[Group]:
    index = GroupIndex()
    for rec in records:
        index.extend(members_for(subject(rec), frozenset({kind})))
    return list(index.groups([kind]))


def run_group(
    rule_: object, records: list[CapsuleRecord], kind: GroupKind, **thresholds: float
) -> list[Violation]:
    check = rule_.check  # type: ignore[attr-defined]
    return [v for g in groups_of(records, kind) for v in check(g, ctx(**thresholds))]
