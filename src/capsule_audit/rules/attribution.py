"""CA4xx: capsules that credit one identifier, method or acronym in contradictory ways.

Each rule looks inside one group only, and inside it compares distinct values (methods,
institution sets, identifier sets, figures), never all pairs of capsules (`identifiers.sides`).
Positional bindings count, one severity step lower than explicit ones (two when both sides are
positional); messages say which binding each capsule used. How a conflict among many capsules
is reported (one finding per subject, every capsule named, capped evidence): `rules.conflicts`.
CA403 and CA404, on METHOD groups, live in `rules.method_attribution`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from capsule_audit.claims.entities import with_parents
from capsule_audit.identifiers.credits import (
    Credit,
    binding_of,
    citation_credits,
    claim_credits,
    pair_severity,
    strongest,
    worst,
)
from capsule_audit.identifiers.methods import normalize_acronym
from capsule_audit.identifiers.sides import Side, cluster, disjoint_partner_ranks, strongest_cross_pairs
from capsule_audit.models.findings import Severity
from capsule_audit.rules.base import Group, GroupKind, RuleContext, Scope, Violation, rule
from capsule_audit.rules.conflicts import describe_sides, method_sides, side_violation
from capsule_audit.rules.declared import Counted, GroupNeeds
from capsule_audit.rules.method_attribution import conflicting_figures, method_multiple_identifiers

__all__ = [
    "ATTRIBUTION_RULES",
    "acronym_conflict",
    "conflicting_attribution",
    "conflicting_figures",
    "conflicting_institutions",
    "method_multiple_identifiers",
]


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
    Names are compared fuzzily and acronyms against the name's word parts, whatever their casing,
    so "RGO" and "Recursive Gradient Optimization" are one method, and so are "LoRA", "Low-Rank
    Adaptation" and "low rank adaptation", or "SimPO" and "Simple Preference Optimization". Two explicit bindings: error; a positional one: lower.
    However many capsules cite the identifier, there is one finding: it names every capsule and
    lists each method with its number of capsules, the most widely stated first (six at most,
    two quoted claims each).

    ## Fails
    Capsule A: "SARIR … Source: arXiv:2604.01234"; capsule B: "Recursive Gradient Optimization
    (RGO) … Source: https://arxiv.org/abs/2604.01234".

    ## Passes
    Capsule A credits arXiv:2604.01234 with "Recursive Gradient Optimization", capsule B with "RGO".
    """
    sides = method_sides(citation_credits(group))
    pairs = list(strongest_cross_pairs(sides))
    if not pairs:
        return
    default = Severity.ERROR
    severity = worst((pair_severity(x.binding, y.binding, default=default) for x, y in pairs), default)
    yield side_violation(
        group,
        sides,
        f"{group.key} is credited with {len(sides)} different methods: {describe_sides(sides)}",
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
    fewer institutions) are not a conflict, nor are an organisation and its part ("Google" and
    "Google Brain": `data/institution_parents.yaml`). A name used for hardware, a product or a
    provider ("NVIDIA V100 GPUs", "the FP16 Hugging Face implementation", "a cluster provided by
    Microsoft") is not an affiliation. One finding per identifier, naming every capsule
    whose institutions share none with another's, and listing each distinct set of institutions
    with its number of capsules (six at most, two quoted claims each).

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
    by_names = cluster(
        (frozenset(i for c in found for i in c.claim.institutions), strongest(found))
        for _, found in sorted(per_capsule.items())
    )
    sides = [Side(" + ".join(sorted(names)), tuple(found)) for names, found in by_names.items()]
    # A parent organisation is shared: 'Google' and 'Google DeepMind' do not conflict.
    partners = disjoint_partner_ranks([with_parents(names) for names in by_names], [s.rank for s in sides])
    default = Severity.ERROR
    conflicts = [(side, p) for side, p in zip(sides, partners, strict=True) if p is not None]
    if not conflicts:
        return
    severity = worst(
        (pair_severity(binding_of(side.rank), binding_of(p), default=default) for side, p in conflicts),
        default,
    )
    involved = [side for side, _ in conflicts]
    yield side_violation(
        group,
        involved,
        f"{group.key} is credited to different institutions: {describe_sides(involved)}",
        severity,
    )


@rule(
    code="CA405",
    name="acronym-conflict",
    severity=Severity.WARNING,
    scope=Scope.GROUP,
    group_by=GroupKind.ACRONYM,
    needs=GroupNeeds(Counted.METHOD_NAMES),  # one name, however often, expands it one way
)
def acronym_conflict(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """One acronym is expanded into different method names in different capsules.

    ## Why this matters
    When "SAR" is "Sparse Activation Replay" in one capsule and "Self-Alignment via Reward" in
    another, every claim that uses the bare acronym is ambiguous, and cross-capsule checks keyed
    on it may merge different methods. Spelling variants of one name are not a conflict. One
    finding per acronym, naming every capsule and listing each expansion with its capsule count.
    An acronym whose claims all give one name (character for character) is never read: the store
    counts the names first.

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
    sides = method_sides(named, name_only=True)
    if next(strongest_cross_pairs(sides), None) is None:
        return
    yield side_violation(group, sides, f"{group.key} is expanded differently: {describe_sides(sides)}", None)


ATTRIBUTION_RULES = (
    conflicting_attribution,
    conflicting_institutions,
    method_multiple_identifiers,
    conflicting_figures,
    acronym_conflict,
)
