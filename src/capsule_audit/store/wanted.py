"""Which groups the group scan reads: SQL over the member rows, before anything is rebuilt.

A group is wanted when it has at least its kind's floor of members (the least `min_members` of
the selected rules of that kind) and, for a kind whose every selected rule declares what it
needs (`rules.declared.GroupNeeds`), when it holds what one of them needs. Counting is DuckDB's,
over the groups the floor keeps; a group that fails is never sorted, read or rebuilt.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from capsule_audit.rules.base import GroupKind, Rule, Scope
from capsule_audit.rules.declared import Counted, GroupNeeds
from capsule_audit.store.database import sql_literal

Minimums = int | Mapping[GroupKind, int]
"""The smallest group wanted: one number for every kind, or one per kind (absent kinds: none)."""
Needs = Mapping[GroupKind, tuple[GroupNeeds, ...]]
"""Per kind, what a group must hold one of (absent kinds: nothing beyond their floor)."""

COUNTS = {Counted.METHOD_NAMES: ("method_names", "count(DISTINCT c.method.name)")}
"""What the store counts (`Counted`) -> its column in `counted` and the aggregate over a group's
member rows `m` joined to their claims `c`."""

_SIZED = """
    SELECT m.kind, m.key FROM {members} m JOIN floors f ON m.kind = f.kind
    GROUP BY m.kind, m.key, f.n HAVING count(*) >= f.n {touching}
"""
_COUNTED = """
    SELECT s.kind, s.key, {aggregates}
    FROM sized s JOIN {members} m ON m.kind = s.kind AND m.key = s.key
    JOIN {claims} c ON c.doc = m.doc AND c.pos = m.claim_pos
    WHERE s.kind IN ({kinds}) GROUP BY s.kind, s.key
"""
_NEEDED = """
    SELECT s.kind, s.key FROM sized s LEFT JOIN counted k ON s.kind = k.kind AND s.key = k.key
    WHERE s.kind NOT IN ({kinds}) OR {conditions}
"""


def needs_by_kind(rules: Iterable[Rule]) -> dict[GroupKind, tuple[GroupNeeds, ...]]:
    """Per kind whose every GROUP rule among `rules` (the selected ones) declares `needs`, those
    needs; a kind with a rule that declares nothing is absent (every group of its floor is read)."""
    declared: dict[GroupKind, list[GroupNeeds | None]] = defaultdict(list)
    for r in rules:
        if r.scope is Scope.GROUP and r.group_by is not None:
            declared[r.group_by].append(r.needs)
    return {
        kind: tuple(n for n in needs if n is not None)
        for kind, needs in declared.items()
        if None not in needs
    }


def floors_of(kinds: Iterable[GroupKind] | None, min_members: Minimums) -> dict[str, int]:
    """Kind value -> smallest group wanted, for the kinds asked for."""
    asked = frozenset(GroupKind) if kinds is None else frozenset(kinds)
    if isinstance(min_members, int):
        return {kind.value: min_members for kind in asked}
    return {kind.value: n for kind, n in min_members.items() if kind in asked}


def wanted_ctes(
    floors: Mapping[str, int], needs: Needs, *, members: str, claims: str, touching: str = ""
) -> str:
    """`WITH ...` defining `wanted(kind, key)`: the groups of `members` (with their claims in
    `claims`) of at least their kind's floor, holding what their kind needs; `touching`, an extra
    HAVING condition on the floor's count (a batch against a corpus: `AND bool_or(m.batch)`)."""
    rows = ", ".join(f"({sql_literal(kind)}, {n})" for kind, n in sorted(floors.items()))
    sized = _SIZED.format(members=members, touching=touching)
    head = f"WITH floors(kind, n) AS (SELECT * FROM (VALUES {rows})),\n"
    needed = {kind.value: wants for kind, wants in needs.items() if kind.value in floors and wants}
    if not needed:
        return head + f"wanted AS ({sized})\n"
    kinds = ", ".join(sql_literal(kind) for kind in sorted(needed))
    counted = sorted({want.distinct for wants in needed.values() for want in wants})
    aggregates = ", ".join(f"{COUNTS[c][1]} AS {COUNTS[c][0]}" for c in counted)
    conditions = " OR ".join(
        f"(s.kind = {sql_literal(kind)} AND ({_any(needed[kind])}))" for kind in sorted(needed)
    )
    return (
        head
        + f"sized AS ({sized}),\n"
        + f"counted AS ({_COUNTED.format(aggregates=aggregates, members=members, claims=claims, kinds=kinds)}),\n"
        + f"wanted AS ({_NEEDED.format(kinds=kinds, conditions=conditions)})\n"
    )


def _any(wants: tuple[GroupNeeds, ...]) -> str:
    """SQL: the group holds what one of `wants` needs (a group never counted holds nothing)."""
    return " OR ".join(f"coalesce(k.{COUNTS[w.distinct][0]}, 0) >= {w.at_least}" for w in wants)
