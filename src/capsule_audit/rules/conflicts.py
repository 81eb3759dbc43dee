"""How a CA4xx conflict is reported, whatever the size of its group.

One finding per subject of the conflict (an identifier for CA401/CA402, a method for CA403, a
method and measure for CA404, an acronym for CA405), never one per pair of capsules: k distinct
values would give k*(k-1)/2 findings, each capsule in many. The finding
- names every capsule involved in `capsules` and every claim in `claims` (suppressions, CA503 and
  the per-capsule views need them all);
- lists the distinct values in its message, the most widely stated first, each with its number
  of capsules and the first few of them (with the binding each used), at most `VALUES_SHOWN`
  values, then how many more;
- quotes at most `EVIDENCE_PER_VALUE` claims for each value shown, the strongest bindings first.
So a conflict among 10,000 capsules reads as "'RGO' in 9,990 capsules … ; 'SARIR' in 10 …".
"""

from __future__ import annotations

from collections.abc import Sequence

from capsule_audit.identifiers.credits import Credit, credit_evidence, short_id, strongest_per_method
from capsule_audit.identifiers.methods import method_label
from capsule_audit.identifiers.sides import Side, cluster
from capsule_audit.models.claims import MethodRef
from capsule_audit.models.findings import Severity
from capsule_audit.rules.base import Group, Violation

VALUES_SHOWN = 6
CAPSULES_SHOWN = 3
EVIDENCE_PER_VALUE = 2


def by_size(sides: Sequence[Side]) -> list[Side]:
    """Sides stated by the most capsules first, then in their given order."""
    return sorted(sides, key=lambda s: -len(s.credits))


def describe_side(side: Side) -> str:
    """ "'RGO' in 000 (explicit)", or "'RGO' in 12 capsules: 000 (explicit), 003 (positional), … and 9 more"."""
    shown = ", ".join(f"{short_id(c.capsule)} ({c.binding.value})" for c in side.credits[:CAPSULES_SHOWN])
    count = len(side.credits)
    if count <= CAPSULES_SHOWN:
        return f"{side.label} in {shown}"
    return f"{side.label} in {count:,} capsules: {shown} and {count - CAPSULES_SHOWN:,} more"


def describe_sides(sides: Sequence[Side]) -> str:
    """The values of a conflict, largest first, capped at `VALUES_SHOWN`."""
    ordered = by_size(sides)
    parts = [describe_side(s) for s in ordered[:VALUES_SHOWN]]
    rest = ordered[VALUES_SHOWN:]
    if rest:
        capsules = len({c.capsule for s in rest for c in s.credits})
        parts.append(f"and {len(rest):,} more values in {capsules:,} capsules")
    return "; ".join(parts)


def side_violation(
    group: Group,
    sides: Sequence[Side],
    message: str,
    severity: Severity | None,
    identity: str = "",
    key: str | None = None,
) -> Violation:
    """One finding for a conflict among `sides`: every capsule and claim, capped evidence.

    Its key is `key`, else the group's (a METHOD group's key only blocks: its rules pass the
    method's canonical key)."""
    credits = [c for s in sides for c in s.credits]
    evidence = [
        credit_evidence(c) for s in by_size(sides)[:VALUES_SHOWN] for c in s.strongest(EVIDENCE_PER_VALUE)
    ]
    return Violation(
        message=message,
        capsules=tuple(sorted({c.capsule for c in credits})),
        claims=tuple(sorted({c.claim.id for c in credits})),
        key=key or group.key,
        evidence=tuple(evidence),
        severity=severity,
        identity=identity,
    )


def method_sides(credits: tuple[Credit, ...], *, name_only: bool = False) -> list[Side]:
    """One side per method cluster, each capsule's strongest credit, labelled by its fullest name."""
    per_method = cluster((cell[0], credit) for cell, credit in strongest_per_method(credits).items())
    sides = []
    for found in per_method.values():
        refs = [c.claim.method or MethodRef() for c in found]
        fullest = max(refs, key=lambda r: (bool(r.name), bool(r.acronym)))  # the first of equals
        label = (fullest.name or "?") if name_only else method_label(fullest)
        sides.append(Side(repr(label), tuple(found)))
    return sides
