"""CA1xx: identity. Is each capsule one capsule, named once, and not a copy of another?"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import combinations

from rapidfuzz import fuzz

from capsule_audit.identifiers.credits import short_id
from capsule_audit.models.findings import Severity
from capsule_audit.models.records import RecordKind
from capsule_audit.rules import construct
from capsule_audit.rules.base import (
    Group,
    GroupKind,
    Member,
    RuleContext,
    RuleOption,
    Scope,
    Subject,
    Violation,
    rule,
)
from capsule_audit.rules.index import fold, masked_parts
from capsule_audit.rules.samples import neighbour_pairs, sorted_by_sample
from capsule_audit.rules.spans import shorten


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


def _distinct(members: tuple[Member, ...]) -> list[Member]:
    seen: dict[str, Member] = {}
    for m in members:
        seen.setdefault(m.capsule, m)
    return list(seen.values())


@rule(
    code="CA103",
    name="near-duplicate-capsule",
    severity=Severity.WARNING,
    scope=Scope.GROUP,
    group_by=GroupKind.TEXT_BLOCK,
    options=(
        RuleOption(
            "threshold",
            "number",
            95,
            "Least similarity (0-100) of two texts that are near-duplicates.",
            maximum=100,
        ),
        RuleOption(
            "max_block", "integer", 64, "Largest block compared pair by pair; larger ones by neighbours."
        ),
        RuleOption(
            "window", "integer", 8, "Neighbours each capsule of a larger block is compared with.", minimum=1
        ),
    ),
)
def near_duplicate_capsule(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """Two capsules with different ids have near-identical text.

    Capsules are blocked by min-hash keys of their word sets, so only capsules sharing a block are
    compared; inside a block the normalized start of each text is compared with rapidfuzz, and a
    ratio at or above `CA103.threshold` (default 95) is a near-duplicate. A block larger than
    `CA103.max_block` (default 64) compares each capsule with its `CA103.window` (default 8)
    nearest neighbours in sorted order instead of all pairs.

    ## Why this matters
    The research pipeline re-runs the same question and stores the answer again under a new id.
    Near-copies inflate how often a claim seems to be confirmed and split corrections between them.

    ## Fails
    Two capsules whose texts differ only in the date of their "As of" line.

    ## Passes
    Capsules on one topic written from one template but with different findings (the four seeds).
    """
    threshold = ctx.threshold("CA103.threshold", 95.0)
    members = _distinct(group.members)
    ordered = sorted_by_sample(members)
    if len(members) <= int(ctx.threshold("CA103.max_block", 64)):
        pairs: Iterable[tuple[tuple[str, Member], tuple[str, Member]]] = combinations(ordered, 2)
    else:
        pairs = neighbour_pairs(ordered, int(ctx.threshold("CA103.window", 8)))
    for (a_sample, a), (b_sample, b) in pairs:
        score = fuzz.ratio(a_sample, b_sample, score_cutoff=threshold)
        if score:
            first, second = sorted(((a_sample, a), (b_sample, b)), key=lambda item: item[1].capsule)
            yield Violation(
                message=f"near-identical text (similarity {score:.0f} of 100) under two capsule ids",
                capsules=(first[1].capsule, second[1].capsule),
                evidence=tuple(
                    construct.evidence(capsule=m.capsule, text=shorten(sample, 160))
                    for sample, m in (first, second)
                ),
            )


@rule(
    code="CA104",
    name="duplicate-title",
    severity=Severity.WARNING,
    scope=Scope.GROUP,
    group_by=GroupKind.TITLE,
    version="2",  # 2: titles equal once dates and numbers are masked
)
def duplicate_title(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """Capsules with different ids carry one title, up to case, punctuation, dates and numbers.

    Titles are compared after Unicode NFKC, case folding, turning punctuation, quotes and runs of
    spaces into one space, and masking dates and numbers ("April 12, 2026", "2026-04-12", "3.5",
    "40%"). Research capsules are titled with their first sentence, "As of April 12, 2026, several
    notable advancements in ...": snapshots of one recurring question that differ only in that
    date are indistinguishable in every listing, so they are reported too, and the message names
    the differing dates or numbers and which capsules carry each. Near-copies of the whole capsule
    are CA103's job; the same `@id` twice is CA101's.

    ## Why this matters
    A title is what an editor searches and skims. Identical titles hide which capsule says what,
    and a title repeated across many capsules is often a refusal or an error message the pipeline
    stored as a title ("I'm sorry, I can't help with that").

    ## Fails
    Two capsules titled "Sparse Activation Replay: results" and "sparse activation replay —
    Results"; or "As of April 12, 2026, several notable advancements ..." and "As of April 17,
    2026, several notable advancements ..." (the message names 'April 12, 2026' and 'April 17, 2026').

    ## Passes
    "As of April 12, 2026, several notable advancements ..." and "As of April 14, 2026, several
    new large language model (LLM) training techniques ..." (different words).
    """
    members = _distinct(group.members)
    if len(members) < 2:
        return  # one id repeated: CA101
    by_parts: dict[tuple[str, ...], list[Member]] = {}
    for m in members:
        by_parts.setdefault(masked_parts(m.name or ""), []).append(m)
    if len(by_parts) == 1 or len({fold(m.name or "") for m in members}) == 1:
        message = f"{len(members)} capsules share the title {members[0].name!r}"
    else:
        differing = "; ".join(
            f"{_joined(parts)} in {_listed(found)}"
            for parts, found in sorted(by_parts.items(), key=lambda item: (-len(item[1]), item[0]))
        )
        message = f"{len(members)} capsules share the title {members[0].name!r} up to dates and numbers: {differing}"
    yield Violation(
        message=message,
        capsules=tuple(m.capsule for m in members),
        key=f"title:{group.key}",
        evidence=tuple(construct.evidence(capsule=m.capsule, text=m.name or "") for m in members),
    )


_SHOWN = 3


def _joined(parts: tuple[str, ...]) -> str:
    return " / ".join(repr(p) for p in parts) if parts else "no date or number"


def _listed(members: list[Member]) -> str:
    shown = ", ".join(short_id(m.capsule) for m in members[:_SHOWN])
    more = len(members) - _SHOWN
    return f"{shown} and {more:,} more" if more > 0 else shown


IDENTITY_RULES = (duplicate_capsule_id, identifier_mismatch, near_duplicate_capsule, duplicate_title)
