"""The HTML page's marks on a cluster: which fields are in conflict (a rule says so) or merely
differ between capsules, and where each capsule departs from the most common value."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from capsule_audit.models.report import Cluster, ClusterMember

RULE_FIELDS = {"CA401": "method", "CA402": "institutions", "CA404": "figures"}
"""The cluster field a rule's finding on the cluster's identifier says is in conflict."""
FIELDS = ("method", "institutions", "figures")


def by_capsule(members: Iterable[ClusterMember]) -> list[ClusterMember]:
    """One member per capsule, in order of first appearance: a capsule citing the identifier in
    several claims gets their methods, institutions and figures together (each once)."""
    merged: dict[str, ClusterMember] = {}
    for member in members:
        first = merged.get(member.capsule)
        if first is None:
            merged[member.capsule] = member
            continue
        merged[member.capsule] = first.model_copy(
            update={
                "method": _joined(first.method, member.method),
                "acronym": _joined(first.acronym, member.acronym),
                "institutions": tuple(dict.fromkeys((*first.institutions, *member.institutions))),
                "figures": tuple({f.raw: f for f in (*first.figures, *member.figures)}.values()),
            }
        )
    return list(merged.values())


def _joined(first: str | None, other: str | None) -> str | None:
    if not other or (first and other.casefold() in first.casefold().split(" / ")):
        return first
    return f"{first} / {other}" if first else other


def _member_value(member: ClusterMember, field: str) -> str:
    if field == "method":
        return (member.method or member.acronym or "").casefold().strip()
    if field == "institutions":
        return "; ".join(sorted(i.casefold() for i in member.institutions))
    return "; ".join(sorted(f.raw.casefold() for f in member.figures))


def field_marks(
    cluster: Cluster, rules: Iterable[str]
) -> tuple[dict[str, str], list[ClusterMember], list[list[str]]]:
    """Per field, 'conflict' (a rule on this identifier says so) or 'differs' (capsules give
    different values); the members merged `by_capsule`; per member, the fields in conflict where
    it departs from the most common value."""
    ruled = {RULE_FIELDS[r] for r in rules if r in RULE_FIELDS}
    marks: dict[str, str] = {}
    members = by_capsule(cluster.members)
    odd: list[list[str]] = [[] for _ in members]
    for field in FIELDS:
        values = [_member_value(m, field) for m in members]
        counts = Counter(v for v in values if v)
        if field == "method":  # an acronym and its expansion are one method
            acronyms = {(m.method or "").casefold().strip(): (m.acronym or "").casefold() for m in members}
            counts = Counter(acronyms.get(v) or v for v in values if v)
            values = [acronyms.get(v) or v for v in values]
        if len(counts) > 1 and field not in ruled:
            marks[field] = "differs"  # figures of different methods differ: not a fault by itself
        elif field in ruled:
            marks[field] = "conflict"
            top = counts.most_common(2)
            # The most common value, when it is stated more often than any other; else none is.
            common = top[0][0] if top and (len(top) == 1 or top[0][1] > top[1][1]) else None
            for i, value in enumerate(values):
                if value and value != common:
                    odd[i].append(field)
    return marks, members, odd
