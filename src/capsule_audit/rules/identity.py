"""CA101-CA102: identity. Is each capsule one capsule, named once? (Copies: `rules.copies`.)"""

from __future__ import annotations

from collections.abc import Iterator

from capsule_audit.models.findings import Severity
from capsule_audit.models.records import RecordKind
from capsule_audit.rules import construct
from capsule_audit.rules.base import (
    Group,
    GroupKind,
    RuleContext,
    Scope,
    Subject,
    Violation,
    rule,
)


@rule(
    code="CA101",
    name="duplicate-capsule-id",
    severity=Severity.ERROR,
    scope=Scope.GROUP,
    group_by=GroupKind.CAPSULE_ID,
)
def duplicate_capsule_id(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """One capsule `@id` appears more than once in the batch.

    Error when the copies differ in content, warning when they are identical (the same capsule
    exported twice). Content is compared on the normalized record, so the same capsule written in
    two equivalent JSON-LD forms counts as identical.

    ## Why this matters
    An `@id` is how editors, citations and the knowledge graph refer to a capsule. Two different
    contents under one id mean one of them is silently lost on import; every later cross-check
    would mix the two.

    ## Fails
    Two documents with `"@id": "https://forgecascade.org/public/capsules/<uuid>"` whose `text`
    differs (error), or that are byte-for-byte the same capsule (warning).

    ## Passes
    Every `@id` appears once.
    """
    copies = len(group.members)
    identical = len({m.content_digest for m in group.members}) == 1
    where = ", ".join(m.source.display() for m in group.members)
    state = "identical copies" if identical else "with different contents"
    yield Violation(
        message=f"capsule id appears {copies} times, {state}: {where}",
        key=group.key,
        severity=Severity.WARNING if identical else None,
        evidence=tuple(construct.evidence(capsule=m.capsule, text=m.source.display()) for m in group.members),
    )


def _last_segment(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def _same_iri(a: str, b: str) -> bool:
    # schema.org treats http and https as one vocabulary; hosts compare case-insensitively.
    def norm(iri: str) -> str:
        iri = iri.strip().rstrip("/")
        return iri.replace("http://", "https://", 1).lower() if "://" in iri else iri.lower()

    return norm(a) == norm(b)


@rule(code="CA102", name="identifier-mismatch", severity=Severity.ERROR, scope=Scope.CAPSULE)
def identifier_mismatch(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """The capsule's `@id`, `identifier` and `url` disagree.

    `url` must name the same IRI as `@id` (http/https, letter case and a trailing slash aside);
    `identifier` must be the `@id` itself or its last segment (the Forge uuid).

    ## Why this matters
    Tools link a capsule by whichever of the three they read. When they disagree, a citation or a
    correction lands on the wrong capsule, or on none.

    ## Fails
    `@id` `.../capsules/223f9579-...` with `identifier` `972170ab-...`; or with `url`
    `https://forgecascade.org/public/capsules/<another uuid>`.

    ## Passes
    `identifier` equal to the uuid ending the `@id` and `url` equal to the `@id`; or either absent.
    """
    record = subject.record
    if record.kind is not RecordKind.CAPSULE:
        return
    if record.url is not None and not _same_iri(record.url, record.id):
        yield Violation(
            message=f"url {record.url!r} is not the capsule's @id {record.id!r}",
            location=construct.location(
                file=record.source.path,
                line=record.source.line,
                pointer=record.source.pointer or None,
                field="url",
            ),
            evidence=(construct.evidence(capsule=record.id, text=record.url),),
            identity="url",
        )
    ident = record.identifier
    if ident is not None and not (
        _same_iri(ident, record.id) or ident.strip().lower() == _last_segment(record.id).lower()
    ):
        yield Violation(
            message=f"identifier {ident!r} is neither the @id nor its last segment {_last_segment(record.id)!r}",
            location=construct.location(
                file=record.source.path,
                line=record.source.line,
                pointer=record.source.pointer or None,
                field="identifier",
            ),
            evidence=(construct.evidence(capsule=record.id, text=ident),),
            identity="identifier",
        )


IDENTITY_RULES = (duplicate_capsule_id, identifier_mismatch)
