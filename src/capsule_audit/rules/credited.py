"""What a claim credits, as rows: a METHOD group is its claims' credits, never rebuilt claims.

CA403 and CA404 read of each claim of a METHOD group only what it credits to the method (its
arXiv IDs and DOIs, its figures), its strongest binding and, for the few quoted as evidence, its
quote. The store reduces the group to one `ClaimCredit` per (capsule, claim) in SQL
(`store.method_scan`): a method block of 750,000 claims was rebuilt into Claim objects (citations,
figures, spans, texts) only for most of them to be counted. The conflict reports (`rules.conflicts`,
`identifiers.sides`) read any `Credited`: these rows and the CITATION rules' `Credit`s alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Protocol

from capsule_audit.models.claims import Binding, MethodRef, Span
from capsule_audit.models.records import SourceRef
from capsule_audit.models.unvalidated import build


class Quoted(Protocol):
    """What a conflict's report reads of a credited claim (a `Claim` is one)."""

    @property
    def id(self) -> str: ...

    @property
    def span(self) -> Span: ...

    @property
    def quote(self) -> str: ...


class Credited(Protocol):
    """A claim of a capsule with the binding that ties it to what it is credited with."""

    @property
    def capsule(self) -> str: ...

    @property
    def claim(self) -> Quoted: ...

    @property
    def binding(self) -> Binding: ...


class Placed(Protocol):
    """What places a capsule's evidence (a group's `Member`, a `ClaimCredit`): its id, its
    document and its text's astral offsets (UTF-16 spans)."""

    @property
    def capsule(self) -> str: ...

    @property
    def source(self) -> SourceRef: ...

    @property
    def astral(self) -> tuple[int, ...]: ...


@dataclass(frozen=True, slots=True)
class QuotedClaim:
    """A claim's id, span and quote (its text as written): all a conflict's evidence quotes.

    The span is kept as its two offsets and made a `Span` when read: a METHOD group of 750,000
    claims held as many Span models (~140 bytes each) for the few its evidence quotes."""

    id: str
    start: int
    end: int
    quote: str

    @property
    def span(self) -> Span:
        return build(Span, {"start": self.start, "end": self.end})


class StatedFigure(NamedTuple):
    """A figure a claim states for a measure (figures without a measure are not kept)."""

    measure: str
    unit: str
    value: float
    direction: str | None
    raw: str


@dataclass(frozen=True, slots=True)
class ClaimCredit:
    """One claim of a METHOD group: its capsule, its method, what it credits, where it is."""

    capsule: str
    claim: QuotedClaim
    binding: Binding
    """The claim's strongest binding other than listed (explicit when none), as `claim_credits`."""
    method: MethodRef | None
    cites: tuple[tuple[str, Binding], ...]
    """Its arXiv IDs and DOIs (not cut off, not only listed) with their bindings, in the order of
    its citations then its item's Source lines: the key and the binding of each."""
    figures: tuple[StatedFigure, ...]
    where: tuple[str, int | None, int | None, str]
    """Its capsule's `SourceRef` as (path, line, index, pointer): made one when read (`source`),
    for the first claim of each capsule, not held by every claim."""
    astral: tuple[int, ...]
    """`rules.spans.astral_offsets` of its capsule's text (UTF-16 spans of its evidence)."""

    @property
    def source(self) -> SourceRef:
        return SourceRef.of_columns(*self.where)


@dataclass(frozen=True, slots=True)
class Bound:
    """A claim bound to one of its citations: the citation's binding, not the claim's strongest."""

    capsule: str
    claim: QuotedClaim
    binding: Binding
