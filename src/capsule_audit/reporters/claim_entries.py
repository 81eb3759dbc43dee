"""The claims of the JSON report as entries: a tuple of citations shared by several claims is
written once.

The claims of a method item share tuples (`claims.sharing`): its Source lines (`item_sources`
of its claims citing their own sources) and its every citation (`citations` of those citing
nothing). Written per claim they made a report of N*N citations for an item of N. An entry
(`models.report.ClaimEntry`) holds a shared tuple when it is the first of its capsule's claims
to carry it; a later one leaves the list empty and names that claim (`item_sources_from`,
`citations_from`). Reading resolves the names back to one tuple shared again, and reads 1.x
reports (every claim holding a copy, nothing named) as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import TypeAdapter

from capsule_audit.models.claims import Citation, Claim
from capsule_audit.models.report import ClaimEntry
from capsule_audit.models.unvalidated import build

SHARED = ("citations", "item_sources")
"""The claim fields a claim may share with an earlier one; `<field>_from` names it."""
_CITATIONS: TypeAdapter[tuple[Citation, ...]] = TypeAdapter(tuple[Citation, ...])
_CLAIM_FIELDS = tuple(Claim.model_fields)


def claim_entries(claims: Iterable[Claim]) -> Iterator[dict[str, Any]]:
    """Each claim as its JSON entry (`ClaimEntry`, dumped), a shared tuple given once per capsule.

    A tuple is named only within the run of claims of one capsule, and a repeated claim id
    starts a new run (one capsule id twice in a dump), so the claim a name refers to is always
    the nearest earlier one of that id.
    """
    capsule: str | None = None
    ids: set[str] = set()
    holders: dict[tuple[str, int], tuple[tuple[Citation, ...], str]] = {}  # keeps each tuple alive
    for claim in claims:
        if claim.capsule != capsule or claim.id in ids:
            capsule, ids, holders = claim.capsule, set(), {}
        ids.add(claim.id)
        entry = claim.model_dump(mode="json", exclude=set(SHARED))
        for field in SHARED:
            shared: tuple[Citation, ...] = getattr(claim, field)
            held = holders.get((field, id(shared))) if shared else None
            if held is None:
                entry[field] = _CITATIONS.dump_python(shared, mode="json")
                entry[f"{field}_from"] = None
                if shared:
                    holders[(field, id(shared))] = (shared, claim.id)
            else:
                entry[field] = []
                entry[f"{field}_from"] = held[1]
        yield entry


def resolved_claims(entries: Iterable[ClaimEntry]) -> Iterator[Claim]:
    """The claims the entries stand for, the tuples they name taken (shared) from the nearest
    earlier claim of that id; ValueError when there is none."""
    held: dict[str, Claim] = {}
    for entry in entries:
        values = {name: getattr(entry, name) for name in _CLAIM_FIELDS}
        for field in SHARED:
            named: str | None = getattr(entry, f"{field}_from")
            if named is None:
                continue
            holder = held.get(named)
            if holder is None:
                raise ValueError(f"claim {entry.id}: no earlier claim {named} holds its {field}")
            values[field] = getattr(holder, field)
        claim = build(Claim, values)
        held[claim.id] = claim
        yield claim
