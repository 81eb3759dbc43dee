"""CA103-CA104: copies. Is a capsule a copy of another, in its text or its title?"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import combinations

from rapidfuzz import fuzz

from capsule_audit.identifiers.credits import short_id
from capsule_audit.models.findings import Severity
from capsule_audit.rules import construct
from capsule_audit.rules.base import (
    Group,
    GroupKind,
    Member,
    RuleContext,
    Scope,
    Violation,
    rule,
)
from capsule_audit.rules.declared import RuleOption
from capsule_audit.rules.index import fold, masked_parts
from capsule_audit.rules.samples import neighbour_pairs, sorted_by_sample
from capsule_audit.rules.spans import shorten


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
    nearest neighbours in sorted order instead of all pairs. A batch checked against a corpus
    compares only the pairs that hold one of its capsules (the block is still sorted whole).

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
    wanted = ctx.only
    for (a_sample, a), (b_sample, b) in pairs:
        if wanted is not None and a.capsule not in wanted and b.capsule not in wanted:
            continue  # a batch against a corpus: a pair of corpus capsules is not reported
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


COPY_RULES = (near_duplicate_capsule, duplicate_title)
