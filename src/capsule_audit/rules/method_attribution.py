"""CA403 and CA404: one method (a METHOD group, refined by `same_method`) credited inconsistently.

A METHOD group's key (`identifiers.methods.method_block`) only blocks: unrelated methods sharing
it fall in one group, and `method_credits` separates them before anything is compared. Each
method's findings carry its canonical key (`method_key`: 'lora' for "LoRA" and "Low-Rank
Adaptation (LoRA)"), not the block's. Within a method, capsules are clustered by what they state
(their identifier set, their figures) and only the distinct values are compared. A METHOD group
is its claims' credits (`Group.credits`, rows the store reduces it to), not rebuilt claims.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from capsule_audit.identifiers.credits import (
    binding_of,
    method_credits,
    pair_severity,
    rank,
    worst,
)
from capsule_audit.identifiers.measures import measure_key
from capsule_audit.identifiers.methods import method_key, method_label
from capsule_audit.identifiers.sides import Side, cluster, conflicting_figure_sets, disjoint_partner_ranks
from capsule_audit.models.claims import Binding, MethodRef
from capsule_audit.models.findings import Severity
from capsule_audit.rules.base import Group, GroupKind, RuleContext, Scope, Violation, rule
from capsule_audit.rules.conflicts import describe_sides, side_violation
from capsule_audit.rules.credited import Bound, ClaimCredit, StatedFigure
from capsule_audit.rules.declared import RuleOption

_SCHEMES = ("arxiv", "doi")  # `ClaimCredit.cites` holds these only (`store.method_scan`)


@rule(
    code="CA403",
    name="method-multiple-identifiers",
    severity=Severity.WARNING,
    scope=Scope.GROUP,
    group_by=GroupKind.METHOD,
    version="2",  # 2: mixed-case acronyms and their full names are one method
)
def method_multiple_identifiers(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """One method is credited to different identifiers in different capsules.

    ## Why this matters
    A method comes from one paper. Capsules that source it to unrelated arXiv IDs (or unrelated
    DOIs) disagree about where it comes from; at least one citation is wrong. An arXiv ID in one
    capsule and a DOI in another may be the preprint and the article, so only identifiers of one
    scheme are compared. "RGO", "Recursive Gradient Optimization" and "Recursive Gradient
    Optimization (RGO)" are one method, as are "SimPO" and "Simple Preference Optimization"; the
    finding's key is the method's canonical key ('rgo', 'simpo'). One finding per method: it names every capsule whose
    identifiers share none with another capsule's, and lists each distinct set of identifiers with
    its number of capsules, the most widely cited first (six at most, two quoted claims each).

    ## Fails
    Capsule A: "Recursive Gradient Optimization (RGO) … arXiv:2604.01234"; capsule B: "RGO …
    arXiv:2605.00321".

    ## Passes
    Both capsules cite arXiv:2604.01234 for RGO; or one cites the arXiv ID and the other a DOI.
    """
    default = Severity.WARNING
    for credits in method_credits(group).values():
        cites: dict[str, dict[str, tuple[Binding, ClaimCredit]]] = defaultdict(dict)  # capsule -> key -> ...
        for credit in credits:
            if credit.cites:
                keyed = cites[credit.capsule]
                for key, binding in credit.cites:
                    if key not in keyed:  # the first citation of a key wins
                        keyed[key] = (binding, credit)
        reps = {cap: _strongest(cites[cap].values()) for cap in sorted(cites)}
        involved: set[str] = set()
        pairs: set[tuple[int, int]] = set()  # (rank of a side, rank of its disjoint partner)
        for scheme in _SCHEMES:
            prefix = scheme + ":"
            by_keys = cluster(
                (frozenset(k for k in cites[cap] if k.startswith(prefix)), rep) for cap, rep in reps.items()
            )
            by_keys.pop(frozenset(), None)
            ranks = [max(rank(c.binding) for c in found) for found in by_keys.values()]
            partners = disjoint_partner_ranks(list(by_keys), ranks)
            for found, own, partner in zip(by_keys.values(), ranks, partners, strict=True):
                if partner is not None:
                    involved.update(c.capsule for c in found)
                    pairs.add((own, partner))
        severities = [pair_severity(binding_of(a), binding_of(b), default=default) for a, b in sorted(pairs)]
        if not involved:
            continue
        by_all = cluster((_joined(cites[cap]), reps[cap]) for cap in sorted(involved))
        sides = [Side(keys, tuple(found)) for keys, found in by_all.items()]
        label = method_label(credits[0].method or MethodRef())
        yield side_violation(
            group,
            sides,
            f"{label!r} is credited to different identifiers: {describe_sides(sides)}",
            worst(severities, default),
            identity=label.lower(),
            key=canonical_key(credits),
        )


@rule(
    code="CA404",
    name="conflicting-figures",
    severity=Severity.WARNING,
    scope=Scope.GROUP,
    group_by=GroupKind.METHOD,
    version="2",  # 2: figures compared per measure (the measure table), keys name the measure
    options=(
        RuleOption(
            "relative_tolerance", "number", 0.1, "Relative difference within which two figures agree."
        ),
    ),
)
def conflicting_figures(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """One method is given conflicting figures for the same measure in different capsules.

    ## Why this matters
    A paper reports one result per measure. "Reduces memory usage by 40%" in one capsule and "by
    60%" in another cannot both quote it. Measures are compared by benchmark, else by metric
    (`identifiers.measures`): "12.3% improvement on MMLU" and "improved MMLU accuracy by 7.9%"
    are one measure, MMLU and GSM8K two; and only figures of one unit are compared. Values within threshold `CA404.relative_tolerance`
    (default 0.1, relative) agree; opposite directions (higher/lower) never do. One finding per
    method and measure: it names every capsule whose figures agree with none of another capsule's,
    and lists each distinct figure with its number of capsules, the most widely stated first (six
    at most, two quoted claims each).

    ## Fails
    Capsule A: "RGO reduces memory usage by up to 40%"; capsule B: "RGO reduces memory usage by 60%".

    ## Passes
    Both say 40%; or they state figures for different measures (memory usage, training time).
    """
    tolerance = ctx.threshold("CA404.relative_tolerance", 0.1)
    for credits in method_credits(group).values():
        stated: dict[tuple[str, str], dict[str, list[tuple[StatedFigure, ClaimCredit]]]] = defaultdict(dict)
        for credit in credits:
            for fig in credit.figures:
                measure = measure_key(fig.measure)
                if measure:
                    stated[(measure, fig.unit)].setdefault(credit.capsule, []).append((fig, credit))
        label = method_label(credits[0].method or MethodRef())
        for (measure, unit), per_cap in sorted(stated.items()):
            if len(per_cap) < 2:
                continue
            by_value = cluster((_values(per_cap[cap]), cap) for cap in sorted(per_cap))
            figure_sets = [tuple(_distinct(per_cap[caps[0]])) for caps in by_value.values()]
            flags = conflicting_figure_sets(figure_sets, tolerance)
            sides = [
                Side(", ".join(f.raw for f, _ in per_cap[caps[0]]), tuple(per_cap[cap][0][1] for cap in caps))
                for caps, flag in zip(by_value.values(), flags, strict=True)
                if flag
            ]
            if not sides:
                continue
            yield side_violation(
                group,
                sides,
                f"{label!r} is given conflicting figures for {measure}: {describe_sides(sides)}",
                None,
                identity=f"{label.lower()}|{measure}|{unit}",
                key=canonical_key(credits),
            )


def canonical_key(credits: list[ClaimCredit]) -> str | None:
    """The method's canonical key: from the first reference with an acronym, else the first."""
    refs = [c.method for c in credits if c.method is not None]
    ref = next((r for r in refs if r.acronym), refs[0] if refs else None)
    return method_key(ref.name, ref.acronym) if ref is not None else None


def _strongest(bound: Iterable[tuple[Binding, ClaimCredit]]) -> Bound:
    """A capsule's strongest credit for a key (`credits.strongest`: the strongest binding, then
    the earliest claim; the first of equals), bound by that key's citation."""
    binding, credit = min(bound, key=lambda b: (-rank(b[0]), b[1].claim.start, b[1].claim.id))
    return Bound(credit.capsule, credit.claim, binding)


def _joined(keys: dict[str, tuple[Binding, ClaimCredit]]) -> str:
    """The keys, sorted, joined by commas (one key, the common case: itself)."""
    return next(iter(keys)) if len(keys) == 1 else ", ".join(sorted(keys))


def _values(stated: list[tuple[StatedFigure, ClaimCredit]]) -> tuple[tuple[float, str], ...]:
    """What `figures_agree` reads of a capsule's figures: values and directions, as a set."""
    return tuple(sorted({(f.value, f.direction or "") for f, _ in stated}))


def _distinct(stated: list[tuple[StatedFigure, ClaimCredit]]) -> list[StatedFigure]:
    """One figure per distinct (value, direction), the first stated."""
    seen: dict[tuple[float, str], StatedFigure] = {}
    for f, _ in stated:
        seen.setdefault((f.value, f.direction or ""), f)
    return list(seen.values())
