"""Who a group credits with what: the building blocks of the cross-capsule attribution rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Protocol, TypeVar

from capsule_audit.identifiers.methods import cluster_methods
from capsule_audit.models.claims import Binding, Claim, MethodRef
from capsule_audit.models.findings import Evidence, Severity
from capsule_audit.rules import construct
from capsule_audit.rules.base import Group
from capsule_audit.rules.credited import ClaimCredit, Credited

C = TypeVar("C", bound=Credited)
T = TypeVar("T")

_RANK = {Binding.EXPLICIT: 2, Binding.POSITIONAL: 1, Binding.LISTED: 0}
_BY_RANK = {r: b for b, r in _RANK.items()}


@dataclass(frozen=True, slots=True)
class Credit:
    """One claim of one capsule, with the binding that tied it to the group's identifier."""

    capsule: str
    claim: Claim
    binding: Binding


def citation_credits(group: Group) -> tuple[Credit, ...]:
    """Members of a CITATION group bound to a claim (explicitly or by position), in stable order."""
    found = _recall(_last_citation_credits, group)
    if found is not None:
        return found
    credits: dict[tuple[str, str], tuple[str, int, str, Credit]] = {}
    for m in group.members:
        claim = m.claim
        if claim is None:
            continue
        binding = m.citation.binding if m.citation is not None else Binding.EXPLICIT
        if binding is not Binding.LISTED:
            credits[(m.capsule, claim.id)] = (
                m.capsule,
                claim.span.start,
                claim.id,
                Credit(m.capsule, claim, binding),
            )
    return _remember(_last_citation_credits, group, _in_order(credits.values()))


def claim_credits(group: Group) -> tuple[Credit, ...]:
    """Members of a METHOD or ACRONYM group that carry a claim, with the claim's strongest binding."""
    found = _recall(_last_claim_credits, group)
    if found is not None:
        return found
    credits: dict[tuple[str, str], tuple[str, int, str, Credit]] = {}
    for m in group.members:
        claim = m.claim
        if claim is not None and (m.capsule, claim.id) not in credits:  # one member per citation
            best = _strongest_binding(claim)
            credits[(m.capsule, claim.id)] = (
                m.capsule,
                claim.span.start,
                claim.id,
                Credit(m.capsule, claim, best),
            )
    return _remember(_last_claim_credits, group, _in_order(credits.values()))


def _strongest_binding(claim: Claim) -> Binding:
    # The strongest binding other than LISTED, EXPLICIT when there is none: what
    # `max(..., key=rank, default=EXPLICIT)` gives, without a key call per citation.
    positional = False
    for cited in (claim.citations, claim.item_sources):
        for c in cited:
            if c.binding is Binding.EXPLICIT:
                return Binding.EXPLICIT
            positional = positional or c.binding is Binding.POSITIONAL
    return Binding.POSITIONAL if positional else Binding.EXPLICIT


def _in_order(keyed: Iterable[tuple[str, int, str, Credit]]) -> tuple[Credit, ...]:
    # Sorting (capsule, start, claim id, credit) tuples is `sorted(credits, key=_order)` without a
    # Python call per credit; the first three are unique (one credit per capsule and claim).
    return tuple(item[3] for item in sorted(keyed, key=_FIRST_THREE))


_FIRST_THREE = itemgetter(0, 1, 2)

# The last groups' credits. CA401 and CA402 read the credits of one CITATION group, CA403 and
# CA404 those of one METHOD group, one rule after the other; building them twice cost a third
# of those rules. Keyed by the group object itself (`is`), so a cache can never answer for
# another group; it holds the latest group only, until `release` (the engine calls it once a
# group is checked: a group of 100,000 members must not stay alive beside the next one).
_last_citation_credits: list[tuple[Group, tuple[Credit, ...]]] = []
_last_claim_credits: list[tuple[Group, tuple[Credit, ...]]] = []


def _recall(cache: list[tuple[Group, tuple[Credit, ...]]], group: Group) -> tuple[Credit, ...] | None:
    return cache[0][1] if cache and cache[0][0] is group else None


def _remember(
    cache: list[tuple[Group, tuple[Credit, ...]]], group: Group, credits: tuple[Credit, ...]
) -> tuple[Credit, ...]:
    cache[:] = [(group, credits)]
    return credits


def rank(binding: Binding) -> int:
    """How strongly a binding ties a claim to a citation: explicit 2, positional 1, listed 0."""
    return _RANK[binding]


def binding_of(rank_: int) -> Binding:
    """The binding of a rank (the inverse of `rank`)."""
    return _BY_RANK[rank_]


def _order(credit: Credited) -> tuple[str, int, str]:
    return (credit.capsule, credit.claim.span.start, credit.claim.id)


def strongest(credits: Iterable[C]) -> C:
    """The credit with the strongest binding, earliest in the text on a tie."""
    found = credits if isinstance(credits, list | tuple) else list(credits)
    if len(found) == 1:  # most capsules give one credit: no key to compute
        return found[0]
    return min(found, key=lambda c: (-_RANK[c.binding], _order(c)))


def pair_severity(a: Binding, b: Binding, *, default: Severity) -> Severity | None:
    """Severity of a conflict between two bindings: the rule's default when both are explicit,
    one step lower when a positional binding is involved, two steps when both are positional.
    None means the default."""
    steps = 2 - min(_RANK[a], 2) + 2 - min(_RANK[b], 2)
    if steps == 0:
        return None
    order = [Severity.ERROR, Severity.WARNING, Severity.INFO]
    lowered = order[min(order.index(default) + min(steps, 2), 2)]
    return None if lowered is default else lowered


def worst(severities: Iterable[Severity | None], default: Severity) -> Severity | None:
    """The most severe of several pair severities (None meaning the default)."""
    ranked = [s or default for s in severities]
    if not ranked:
        return None
    top = max(ranked, key=lambda s: s.rank)
    return None if top is default else top


def short_id(capsule: str) -> str:
    """The last path segment of a capsule IRI, for messages."""
    return capsule.rstrip("/").rsplit("/", 1)[-1] or capsule


def credit_evidence(credit: Credited) -> Evidence:
    """The quoted claim, with the binding the capsule used."""
    return construct.evidence(
        capsule=credit.capsule,
        text=credit.claim.quote,
        span=credit.claim.span,
        binding=credit.binding,
        claim=credit.claim.id,
    )


def split_by_method(credits: Iterable[Credit]) -> dict[int, list[Credit]]:
    """Credits split by method cluster (`same_method`), clusters in order of first appearance.

    A METHOD group's key only blocks (several methods may share it); this decides.
    """
    return _split([(c, c.claim.method) for c in credits if c.claim.method is not None])


def _split(with_method: list[tuple[T, MethodRef]]) -> dict[int, list[T]]:
    clusters = cluster_methods([ref for _, ref in with_method])
    split: dict[int, list[T]] = defaultdict(list)
    for cluster, (credit, _) in zip(clusters, with_method, strict=True):
        split[cluster].append(credit)
    return dict(sorted(split.items()))


def method_credits(group: Group) -> dict[int, list[ClaimCredit]]:
    """A METHOD group's credits (`Group.credits`) split by method, built once for CA403 and CA404.

    The same lists are returned to each rule asking for the same group: read, never change them.
    """
    if _last_method_credits and _last_method_credits[0][0] is group:
        return _last_method_credits[0][1]
    split = _split([(c, c.method) for c in group.credits if c.method is not None])
    _last_method_credits[:] = [(group, split)]
    return split


_last_method_credits: list[tuple[Group, dict[int, list[ClaimCredit]]]] = []


def release() -> None:
    """Forget the memoized credits (and with them the last group)."""
    _last_citation_credits.clear()
    _last_claim_credits.clear()
    _last_method_credits.clear()


def strongest_per_method(credits: Iterable[Credit]) -> dict[tuple[int, str], Credit]:
    """(method cluster, capsule) -> that capsule's strongest credit for the method, sorted."""
    cells: dict[tuple[int, str], list[Credit]] = defaultdict(list)
    for cluster, found in split_by_method(credits).items():
        for credit in found:
            cells[(cluster, credit.capsule)].append(credit)
    return {cell: strongest(found) for cell, found in sorted(cells.items())}


class Valued(Protocol):
    """What `figures_agree` reads of a figure (a `Figure`, a `StatedFigure`)."""

    @property
    def value(self) -> float: ...

    @property
    def direction(self) -> str | None: ...


def figures_agree(a: Valued, b: Valued, tolerance: float) -> bool:
    """Same direction (when both state one) and values within a relative tolerance."""
    if a.direction and b.direction and a.direction != b.direction:
        return False
    return abs(a.value - b.value) <= tolerance * max(abs(a.value), abs(b.value))
