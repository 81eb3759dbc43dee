"""CA4xx: capsules that credit one identifier, method or acronym in contradictory ways.

Each rule looks inside one group only. Positional bindings count, one severity step lower than
explicit ones (two when both sides are positional); messages say which binding each capsule used.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from capsule_audit.identifiers.credits import (
    Credit,
    citation_credits,
    claim_credits,
    credit_evidence,
    figures_agree,
    pair_severity,
    short_id,
    split_by_method,
    strongest,
    strongest_per_method,
    worst,
)
from capsule_audit.identifiers.methods import method_label, normalize_acronym
from capsule_audit.models.claims import Binding, Figure, MethodRef
from capsule_audit.models.findings import Severity
from capsule_audit.rules.base import Group, GroupKind, RuleContext, Scope, Violation, rule


def _describe(credit: Credit, what: str) -> str:
    return f"{what} in {short_id(credit.capsule)} ({credit.binding.value})"


def _violation(
    group: Group, reps: list[Credit], message: str, severity: Severity | None, identity: str = ""
) -> Violation:
    return Violation(
        message=message,
        capsules=tuple(sorted({c.capsule for c in reps})),
        claims=tuple(sorted({c.claim.id for c in reps})),
        key=group.key,
        evidence=tuple(credit_evidence(c) for c in reps),
        severity=severity,
        identity=identity,
    )


@rule(
    code="CA401",
    name="conflicting-attribution",
    severity=Severity.ERROR,
    scope=Scope.GROUP,
    group_by=GroupKind.CITATION,
)
def conflicting_attribution(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """One identifier is credited with different methods in different capsules.

    ## Why this matters
    A paper introduces one method. When capsules credit the same arXiv ID or DOI with unrelated
    methods, at most one of them is right, and the others are fabricated or mis-bound citations.
    Names are compared fuzzily and acronyms against initials, so "RGO" and "Recursive Gradient
    Optimization" are one method. Two explicit bindings: error; a positional one: lower.

    ## Fails
    Capsule A: "SARIR … Source: arXiv:2604.01234"; capsule B: "Recursive Gradient Optimization
    (RGO) … Source: https://arxiv.org/abs/2604.01234".

    ## Passes
    Capsule A credits arXiv:2604.01234 with "Recursive Gradient Optimization", capsule B with "RGO".
    """
    reps = strongest_per_method(citation_credits(group))
    pairs = [(a, b) for a in reps for b in reps if a[0] < b[0] and a[1] != b[1]]
    if not pairs:
        return
    default = Severity.ERROR
    severity = worst(
        (pair_severity(reps[a].binding, reps[b].binding, default=default) for a, b in pairs), default
    )
    involved = list(reps.values())
    labels = [_describe(c, repr(method_label(c.claim.method or MethodRef()))) for c in involved]
    methods = len({cluster for cluster, _ in reps})
    yield _violation(
        group,
        involved,
        f"{group.key} is credited with {methods} different methods: {'; '.join(labels)}",
        severity,
    )


@rule(
    code="CA402",
    name="conflicting-institutions",
    severity=Severity.ERROR,
    scope=Scope.GROUP,
    group_by=GroupKind.CITATION,
)
def conflicting_institutions(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """One identifier is credited to different institutions in different capsules.

    ## Why this matters
    A paper has one set of author affiliations. Capsules that credit the same identifier to
    institutions with nothing in common cannot all be right. Overlapping sets (one capsule names
    fewer institutions) are not a conflict.

    ## Fails
    arXiv:2604.01234 credited to "University of Toronto and Microsoft Research" in one capsule
    and to "DeepMind" in another.

    ## Passes
    One capsule says "University of Toronto and Microsoft Research", another "University of Toronto".
    """
    per_capsule: dict[str, list[Credit]] = defaultdict(list)
    for credit in citation_credits(group):
        if credit.claim.institutions:
            per_capsule[credit.capsule].append(credit)
    names = {
        cap: frozenset(i for c in found for i in c.claim.institutions) for cap, found in per_capsule.items()
    }
    reps = {cap: strongest(found) for cap, found in sorted(per_capsule.items())}
    pairs = [(a, b) for a in reps for b in reps if a < b and not names[a] & names[b]]
    if not pairs:
        return
    default = Severity.ERROR
    severity = worst(
        (pair_severity(reps[a].binding, reps[b].binding, default=default) for a, b in pairs), default
    )
    involved = sorted({cap for pair in pairs for cap in pair})
    labels = [_describe(reps[cap], " + ".join(sorted(names[cap]))) for cap in involved]
    yield _violation(
        group,
        [reps[cap] for cap in involved],
        f"{group.key} is credited to different institutions: {'; '.join(labels)}",
        severity,
    )


@rule(
    code="CA403",
    name="method-multiple-identifiers",
    severity=Severity.WARNING,
    scope=Scope.GROUP,
    group_by=GroupKind.METHOD,
)
def method_multiple_identifiers(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """One method is credited to different identifiers in different capsules.

    ## Why this matters
    A method comes from one paper. Capsules that source it to unrelated arXiv IDs (or unrelated
    DOIs) disagree about where it comes from; at least one citation is wrong. An arXiv ID in one
    capsule and a DOI in another may be the preprint and the article, so only identifiers of one
    scheme are compared.

    ## Fails
    Capsule A: "Recursive Gradient Optimization (RGO) … arXiv:2604.01234"; capsule B: "RGO …
    arXiv:2605.00321".

    ## Passes
    Both capsules cite arXiv:2604.01234 for RGO; or one cites the arXiv ID and the other a DOI.
    """
    for credits in split_by_method(claim_credits(group)).values():
        cites: dict[str, dict[str, Credit]] = defaultdict(dict)  # capsule -> key -> credit
        for credit in credits:
            for c in credit.claim.citations:
                if c.scheme in ("arxiv", "doi") and not c.truncated and c.binding is not Binding.LISTED:
                    cites[credit.capsule].setdefault(c.key, Credit(credit.capsule, credit.claim, c.binding))
        caps = sorted(cites)
        pairs = [
            (a, b, scheme)
            for i, a in enumerate(caps)
            for b in caps[i + 1 :]
            for scheme in ("arxiv", "doi")
            if _scheme_keys(cites[a], scheme)
            and _scheme_keys(cites[b], scheme)
            and not _scheme_keys(cites[a], scheme) & _scheme_keys(cites[b], scheme)
        ]
        if not pairs:
            continue
        default = Severity.WARNING
        reps = {cap: strongest(cites[cap].values()) for cap in caps}
        severity = worst(
            (pair_severity(reps[a].binding, reps[b].binding, default=default) for a, b, _ in pairs), default
        )
        involved = sorted({cap for a, b, _ in pairs for cap in (a, b)})
        label = method_label(credits[0].claim.method or MethodRef())
        labels = [_describe(reps[cap], ", ".join(sorted(cites[cap]))) for cap in involved]
        yield _violation(
            group,
            [reps[cap] for cap in involved],
            f"{label!r} is credited to different identifiers: {'; '.join(labels)}",
            severity,
            identity=label.lower(),
        )


def _scheme_keys(keys: dict[str, Credit], scheme: str) -> frozenset[str]:
    return frozenset(k for k in keys if k.startswith(scheme + ":"))


@rule(
    code="CA404",
    name="conflicting-figures",
    severity=Severity.WARNING,
    scope=Scope.GROUP,
    group_by=GroupKind.METHOD,
)
def conflicting_figures(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """One method is given conflicting figures for the same measure in different capsules.

    ## Why this matters
    A paper reports one result per measure. "Reduces memory usage by 40%" in one capsule and "by
    60%" in another cannot both quote it. Values within threshold `CA404.relative_tolerance`
    (default 0.1, relative) agree; opposite directions (higher/lower) never do.

    ## Fails
    Capsule A: "RGO reduces memory usage by up to 40%"; capsule B: "RGO reduces memory usage by 60%".

    ## Passes
    Both say 40%; or they state figures for different measures (memory usage, training time).
    """
    tolerance = ctx.threshold("CA404.relative_tolerance", 0.1)
    for credits in split_by_method(claim_credits(group)).values():
        stated: dict[tuple[str, str], dict[str, list[tuple[Figure, Credit]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for credit in credits:
            for fig in credit.claim.figures:
                if fig.measure:
                    stated[(fig.measure, fig.unit)][credit.capsule].append((fig, credit))
        label = method_label(credits[0].claim.method or MethodRef())
        for (measure, unit), per_cap in sorted(stated.items()):
            caps = sorted(per_cap)
            pairs = [
                (a, b)
                for i, a in enumerate(caps)
                for b in caps[i + 1 :]
                if not any(figures_agree(fa, fb, tolerance) for fa, _ in per_cap[a] for fb, _ in per_cap[b])
            ]
            if not pairs:
                continue
            involved = sorted({cap for pair in pairs for cap in pair})
            reps = [per_cap[cap][0][1] for cap in involved]
            labels = [f"{', '.join(f.raw for f, _ in per_cap[cap])} in {short_id(cap)}" for cap in involved]
            yield _violation(
                group,
                reps,
                f"{label!r} is given conflicting figures for {measure}: {'; '.join(labels)}",
                None,
                identity=f"{label.lower()}|{measure}|{unit}",
            )


@rule(
    code="CA405",
    name="acronym-conflict",
    severity=Severity.WARNING,
    scope=Scope.GROUP,
    group_by=GroupKind.ACRONYM,
)
def acronym_conflict(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """One acronym is expanded into different method names in different capsules.

    ## Why this matters
    When "SAR" is "Sparse Activation Replay" in one capsule and "Self-Alignment via Reward" in
    another, every claim that uses the bare acronym is ambiguous, and cross-capsule checks keyed
    on it may merge different methods. Spelling variants of one name are not a conflict.

    ## Fails
    "Sparse Activation Replay (SAR)" in capsule A, "Selective Attention Routing (SAR)" in capsule B.

    ## Passes
    "Recursive Gradient Optimization (RGO)" and "Recursive Gradient Optimisation (RGO)".
    """
    wanted = normalize_acronym(group.key)
    named = tuple(
        c
        for c in claim_credits(group)
        if c.claim.method is not None
        and c.claim.method.name
        and c.claim.method.acronym
        and normalize_acronym(c.claim.method.acronym) == wanted
    )
    reps = strongest_per_method(named)
    if not any(a[0] < b[0] and a[1] != b[1] for a in reps for b in reps):
        return
    involved = list(reps.values())
    labels = [
        f"{c.claim.method.name if c.claim.method else '?'!r} in {short_id(c.capsule)}" for c in involved
    ]
    yield _violation(group, involved, f"{group.key} is expanded differently: {'; '.join(labels)}", None)


ATTRIBUTION_RULES = (
    conflicting_attribution,
    conflicting_institutions,
    method_multiple_identifiers,
    conflicting_figures,
    acronym_conflict,
)
