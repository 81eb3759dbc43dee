"""Which claims of a capsule share their citations with an earlier claim that stands for them.

Two tuples of citations are shared by several claims of a method item (`claims.drafts.finish`):
- the item's every citation, carried by each of its claims that cites nothing itself (and by
  the sentences elsewhere that name its acronym): their `citations`;
- the item's `Source:` lines, carried beside their own by each of its claims that cites its own
  sources: their `item_sources`.
A claim whose shared tuple, method and institutions are those of an earlier claim says nothing
more about any of those identifiers than that claim does: the store writes the tuple once, with
the first claim (`store.rows`), and files the citation group entries of the first claim only
(`rules.index.members_for`); whoever needs every claim citing an identifier (the report's
clusters) reads the others back through the first (`claims.cit_from`, `claims.src_from`). An
entry per claim and citation was N*N/2 for an item of N.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from capsule_audit.models.claims import Citation, Claim, MethodRef


def citation_owners(claims: Sequence[Claim]) -> list[int | None]:
    """Per claim, the place of the earlier claim standing for its `citations`, or None (itself)."""
    return _owners(claims, lambda claim: claim.citations)


def source_owners(claims: Sequence[Claim]) -> list[int | None]:
    """Per claim, the place of the earlier claim standing for its `item_sources`, or None (itself)."""
    return _owners(claims, lambda claim: claim.item_sources)


def _owners(claims: Sequence[Claim], shared: Callable[[Claim], tuple[Citation, ...]]) -> list[int | None]:
    first: dict[tuple[int, MethodRef | None, tuple[str, ...]], int] = {}
    owners: list[int | None] = []
    for pos, claim in enumerate(claims):
        cited = shared(claim)
        if not cited:
            owners.append(None)
            continue
        owner = first.setdefault((id(cited), claim.method, claim.institutions), pos)
        # It stands for the later claim only when it comes first in the text too: the rules
        # prefer the earliest of equal credits (`identifiers.credits.strongest`).
        earlier = owner != pos and (claims[owner].span.start, claims[owner].id) < (claim.span.start, claim.id)
        owners.append(owner if earlier else None)
    return owners
