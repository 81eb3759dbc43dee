"""Hand-built records, claims, subjects and groups for rule tests (no extractor, no engine)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import cast

from capsule_audit.models.claims import (
    Binding,
    Citation,
    CitationScheme,
    Claim,
    ExtractedCapsule,
    Figure,
    MethodRef,
    SourceEntry,
    Span,
)
from capsule_audit.models.records import CapsuleRecord, RecordKind, SourceRef
from capsule_audit.rules.base import Group, GroupKind, Member, Rule, RuleContext, Subject, Violation
from capsule_audit.store.groups import GroupIndex

A = "https://forgecascade.org/public/capsules/aaaaaaaa-0000-4000-8000-000000000001"
B = "https://forgecascade.org/public/capsules/bbbbbbbb-0000-4000-8000-000000000002"
C = "https://forgecascade.org/public/capsules/cccccccc-0000-4000-8000-000000000003"
NOW = datetime(2026, 5, 1, tzinfo=UTC)


def record(
    capsule: str = A,
    *,
    created: datetime | None = None,
    modified: datetime | None = None,
    kind: RecordKind = RecordKind.CAPSULE,
) -> CapsuleRecord:
    return CapsuleRecord(
        id=capsule,
        kind=kind,
        date_created=created,
        date_modified=modified,
        source=SourceRef(path="dump.json"),
    )


def cite(
    key: str,
    *,
    binding: Binding = Binding.EXPLICIT,
    venue: str | None = None,
    stated: date | None = None,
    version: str | None = None,
    truncated: bool = False,
) -> Citation:
    scheme = cast(CitationScheme, key.split(":", 1)[0])
    return Citation(
        scheme=scheme,
        key=key,
        raw=key,
        venue=venue,
        stated_date=stated,
        version=version,
        binding=binding,
        truncated=truncated,
    )


def claim(
    capsule: str,
    text: str,
    *,
    citations: Iterable[Citation] = (),
    method: MethodRef | None = None,
    institutions: Iterable[str] = (),
    figures: Iterable[Figure] = (),
    authors: Iterable[str] = (),
    start: int = 0,
) -> Claim:
    digest = hashlib.sha256(f"{capsule}\x1f{text}".encode()).hexdigest()[:16]
    return Claim(
        id=digest,
        capsule=capsule,
        section="Key Findings",
        text=text,
        span=Span(start=start, end=start + len(text)),
        method=method,
        institutions=tuple(institutions),
        authors=tuple(authors),
        figures=tuple(figures),
        citations=tuple(citations),
    )


def source(index: int, citation: Citation | None, *, raw: str = "", truncated: bool = False) -> SourceEntry:
    raw = raw or (citation.raw if citation else "?")
    return SourceEntry(
        index=index,
        raw=raw,
        span=Span(start=1000 + 100 * index, end=1000 + 100 * index + len(raw)),
        citation=citation,
        truncated=truncated,
    )


def subject(
    rec: CapsuleRecord | None = None, *, claims: Iterable[Claim] = (), **extracted: object
) -> Subject:
    rec = rec or record()
    return Subject(
        record=rec,
        extracted=ExtractedCapsule(capsule=rec.id, claims=tuple(claims), **extracted),
    )


def context(now: datetime = NOW, thresholds: Mapping[str, float] | None = None) -> RuleContext:
    return RuleContext(now=now, thresholds=dict(thresholds or {}))


def group(kind: GroupKind, key: str, *claims: Claim) -> Group:
    """A group as the engine builds it: CITATION members carry the claim's citation with that key;
    a METHOD group is filed in a store and read back as its credits (`store.method_scan`)."""
    members = []
    for c in claims:
        cited = next((x for x in c.citations if x.key == key), None) if kind is GroupKind.CITATION else None
        members.append(Member(capsule=c.capsule, source=SourceRef(path="dump.json"), claim=c, citation=cited))
    if kind is GroupKind.METHOD:
        with GroupIndex() as index:
            index.extend((kind, key, m) for m in members)
            (found,) = index.groups([kind], min_members=1)
        return found
    return Group(kind=kind, key=key, members=tuple(members))


def run(rule_: Rule, target: Subject | Group, ctx: RuleContext | None = None) -> list[Violation]:
    assert rule_.check is not None
    found: Iterator[Violation] = rule_.check(target, ctx or context())
    return list(found)


def keys(violations: Iterable[Violation]) -> list[str | None]:
    return [v.key for v in violations]
