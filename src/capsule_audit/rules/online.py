"""CA7xx: what the sources say about cited identifiers (`--online` only).

These rules read `ctx.verdicts[group.key]`, filled by `capsule_audit.online.verify`. Without
`--online` there are no verdicts and they yield nothing.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterator
from datetime import date

from capsule_audit.claims.dates import written_date
from capsule_audit.models.findings import Evidence, Severity
from capsule_audit.models.verdicts import Verdict, VerdictKind
from capsule_audit.online.compare import credit_of, credit_score
from capsule_audit.online.options import DEFAULT_MATCH_THRESHOLD
from capsule_audit.rules import construct
from capsule_audit.rules.base import Group, GroupKind, Member, RuleContext, Scope, Violation, rule
from capsule_audit.rules.declared import RuleOption


def _evidence(member: Member) -> Evidence:
    citation = member.citation
    return construct.evidence(
        capsule=member.capsule,
        text=member.claim.quote if member.claim is not None else (citation.raw if citation else ""),
        span=member.claim.span if member.claim is not None else (citation.span if citation else None),
        binding=citation.binding if citation is not None else None,
        claim=member.claim.id if member.claim is not None else None,
    )


def _found(verdict: Verdict) -> str:
    parts = [f"{verdict.service} has {verdict.title_found!r}" if verdict.title_found else verdict.service]
    if verdict.date_found is not None:
        parts.append(f"dated {verdict.date_found.isoformat()}")
    if verdict.score is not None:
        parts.append(f"similarity {verdict.score:.0f}/100")
    return ", ".join(parts)


def _claims(members: tuple[Member, ...] | list[Member]) -> tuple[str, ...]:
    return tuple(m.claim.id for m in members if m.claim is not None)


def _whole_group(group: Group, message: str) -> Violation:
    """A verdict on the identifier itself: every citing capsule and claim is involved."""
    return Violation(
        message=message,
        key=group.key,
        claims=_claims(group.members),
        evidence=tuple(_evidence(m) for m in group.members),
    )


@rule(
    code="CA701",
    name="fabricated-identifier",
    severity=Severity.ERROR,
    scope=Scope.GROUP,
    group_by=GroupKind.CITATION,
    min_members=1,
)
def fabricated_identifier(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """A cited identifier does not exist at its source (confirmed after retries).

    ## Why this matters
    An invented arXiv ID or DOI gives a claim the look of evidence it does not have. The source
    itself is the only proof: arXiv answered with an empty result again and again (or rejected the
    ID), or neither Crossref nor doi.org knows the DOI.

    ## Fails
    `Source: arXiv:2604.01890` when arXiv's API returns no paper for 2604.01890 on every retry;
    `doi:10.1038/s41563-026-01234-3` when Crossref and doi.org both answer 404.

    ## Passes
    An identifier the source returns; one the source could not be asked about (CA704 instead);
    any identifier in a run without `--online`.
    """
    verdict = ctx.verdicts.get(group.key)
    if verdict is not None and verdict.verdict is VerdictKind.FABRICATED:
        yield _whole_group(group, f"{group.key} does not exist: {verdict.detail or verdict.service}")


@rule(
    code="CA702",
    name="miscited-identifier",
    severity=Severity.ERROR,
    scope=Scope.GROUP,
    group_by=GroupKind.CITATION,
    min_members=1,
    options=(
        RuleOption(
            "min_score",
            "number",
            DEFAULT_MATCH_THRESHOLD,
            "Least match score (0-100) of the record's title with what the claim credits.",
            maximum=100,
        ),
    ),
)
def miscited_identifier(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """A cited identifier exists, but is a paper on something other than what the claim credits.

    ## Why this matters
    A real identifier lends false authority: a reader who checks that the link resolves stops
    there. Comparing the credited method (name and acronym) with the record's title catches it.
    Only the capsules whose credit does not match are named.

    ## Fails
    A capsule crediting "Recursive Gradient Optimization (RGO)" to arXiv:2604.01234 when arXiv's
    2604.01234 is "SARIR: Self-Alignment via Reward-Based Iterative Refinement".

    ## Passes
    The capsule crediting SARIR to that same identifier; a Sources entry that credits no method.
    """
    verdict = ctx.verdicts.get(group.key)
    if verdict is None or verdict.verdict is not VerdictKind.MISCITED or not verdict.title_found:
        return
    threshold = ctx.threshold("CA702.min_score", DEFAULT_MATCH_THRESHOLD)
    title = verdict.title_found
    wrong: list[Member] = []
    for member in group.members:
        credit = credit_of(member.claim)
        if credit is not None and credit_score(credit, title) < threshold:
            wrong.append(member)
    for member in sorted(wrong, key=lambda m: (m.capsule, m.claim.id if m.claim else "")):
        credit = credit_of(member.claim)
        label = credit.label() if credit is not None else "?"
        yield Violation(
            message=f"{group.key} is credited with {label!r}, but {_found(verdict)}",
            capsules=(member.capsule,),
            claims=_claims([member]),
            key=group.key,
            evidence=(_evidence(member),),
            identity=label,
        )


def _days_off(stated: date, precision: str, found: date) -> int:
    """Days from `found` to the stated day, or to the stated month (0 inside it)."""
    if precision == "day":
        return abs((stated - found).days)
    last = stated.replace(day=monthrange(stated.year, stated.month)[1])
    return 0 if stated <= found <= last else min(abs((stated - found).days), abs((last - found).days))


@rule(
    code="CA703",
    name="stated-date-contradicts-record",
    severity=Severity.WARNING,
    scope=Scope.GROUP,
    group_by=GroupKind.CITATION,
    min_members=1,
    options=(
        RuleOption("tolerance_days", "number", 3, "Days the stated date may differ from the record's."),
    ),
)
def stated_date_contradicts_record(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """The date written beside a citation differs from the date of the record found.

    ## Why this matters
    A wrong date beside a real identifier ("arXiv:2604.04501, April 12, 2026") suggests the
    citation was written from memory or invented around a real ID. Tolerance: 3 days
    (`CA703.tolerance_days`), for time zones and announcement delays.

    ## Fails
    `arXiv:2604.04501 [cs.CL], April 12, 2026` when arXiv's record was published 2026-04-02.

    ## Passes
    The same citation when the record is dated 2026-04-11; a citation with no stated date;
    "April 2026" (a month) beside a record dated 2026-04-28.
    """
    verdict = ctx.verdicts.get(group.key)
    if verdict is None or verdict.date_found is None:
        return
    if verdict.verdict not in (VerdictKind.VERIFIED, VerdictKind.MISCITED):
        return
    tolerance = ctx.threshold("CA703.tolerance_days", 3.0)
    for member in group.members:
        citation = member.citation
        if citation is None or citation.stated_date is None:
            continue
        stated, precision = citation.stated_date, citation.stated_precision
        if _days_off(stated, precision, verdict.date_found) <= tolerance:
            continue
        yield Violation(
            message=(
                f"{group.key} is dated {written_date(stated, precision)} in the text, "
                f"but {verdict.service} dates it {verdict.date_found.isoformat()}"
            ),
            capsules=(member.capsule,),
            claims=_claims([member]),
            key=group.key,
            evidence=(_evidence(member),),
            identity=stated.isoformat(),
        )


@rule(
    code="CA704",
    name="unverifiable-identifier",
    severity=Severity.INFO,
    scope=Scope.GROUP,
    group_by=GroupKind.CITATION,
    min_members=1,
)
def unverifiable_identifier(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """A cited identifier could not be checked online (service failure or unconfirmed answer).

    The service failed or throttled on every retry, or gave an answer that could not be confirmed.

    ## Why this matters
    "Not checked" must not read as "checked and fine". This names what is left to check by hand
    and why (timeouts, HTTP 503, a quoted title with no arXiv match, an empty cache).

    ## Fails
    arXiv answering HTTP 503 on every retry for 2604.01567; `--cache-only` with no cached answer.

    ## Passes
    Any identifier with a definite answer (verified, miscited, fabricated); runs without `--online`.
    """
    verdict = ctx.verdicts.get(group.key)
    if verdict is not None and verdict.verdict is VerdictKind.UNVERIFIABLE:
        yield _whole_group(group, f"{group.key} could not be verified: {verdict.detail or 'no answer'}")


ONLINE_RULES = (
    fabricated_identifier,
    miscited_identifier,
    stated_date_contradicts_record,
    unverifiable_identifier,
)
