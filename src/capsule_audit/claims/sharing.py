"""Which claims of a capsule share their citations with an earlier claim that stands for them.

The claims of a method item that cite nothing themselves carry the item's every citation, one
tuple shared by all of them (`claims.drafts.finish`). A claim whose citations tuple, method and
institutions are those of an earlier claim says nothing more about any of those identifiers
than that claim does: the store writes the tuple once, with the first claim (`store.rows`), and
files the citation group entries of the first claim only (`rules.index.members_for`); whoever
needs every claim citing an identifier (the report's clusters) reads the others back through
the first (`claims.cit_from`). An entry per claim and citation was N*N/2 for an item of N.
"""

from __future__ import annotations

from collections.abc import Sequence

from capsule_audit.models.claims import Claim, MethodRef


def citation_owners(claims: Sequence[Claim]) -> list[int | None]:
    """Per claim, the place of the earlier claim standing for its citations, or None (itself)."""
    first: dict[tuple[int, MethodRef | None, tuple[str, ...]], int] = {}
    owners: list[int | None] = []
    for pos, claim in enumerate(claims):
        if not claim.citations:
            owners.append(None)
            continue
        owner = first.setdefault((id(claim.citations), claim.method, claim.institutions), pos)
        # It stands for the later claim only when it comes first in the text too: the rules
        # prefer the earliest of equal credits (`identifiers.credits.strongest`).
        earlier = owner != pos and (claims[owner].span.start, claims[owner].id) < (claim.span.start, claim.id)
        owners.append(owner if earlier else None)
    return owners
