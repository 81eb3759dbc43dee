"""The audit's online step: what `verify` is handed, built from the citation groups.

`api.audit` calls this between the streaming pass and the group pass. The citation groups of the
group index already hold every claim that cites an identifier and every Sources entry no claim is
bound to, so the verifier is fed from them: no record is kept for it.

The CA70x rules judge one identifier, not a conflict, so they declare `min_members=1` and the
engine hands them the identifiers cited once too.
"""

from __future__ import annotations

from collections.abc import Iterable

from capsule_audit.models.claims import Claim, ExtractedCapsule, SourceEntry, Span
from capsule_audit.rules.base import Group, GroupKind, Member

_NO_SPAN = Span(start=0, end=0)


def cited_capsules(groups: Iterable[Group]) -> list[ExtractedCapsule]:
    """One ExtractedCapsule per citing capsule: its citing claims and its unbound Sources entries.

    The same for any group order (a spilled index yields groups partition by partition): each
    capsule's members are taken in (key, member) order, as a key-sorted index yields them.
    """
    per_capsule: dict[str, list[tuple[str, int, Member]]] = {}
    for group in groups:
        if group.kind is not GroupKind.CITATION:
            continue
        for n, member in enumerate(group.members):
            per_capsule.setdefault(member.capsule, []).append((group.key, n, member))
    found = []
    for capsule, members in sorted(per_capsule.items()):
        claims: dict[str, Claim] = {}
        listed: list[SourceEntry] = []
        for _, _, member in sorted(members, key=lambda item: item[:2]):
            if member.claim is not None:
                claims.setdefault(member.claim.id, member.claim)
            elif member.citation is not None:
                listed.append(_listed_entry(len(listed), member))
        found.append(ExtractedCapsule(capsule=capsule, claims=tuple(claims.values()), sources=tuple(listed)))
    return found


def _listed_entry(index: int, member: Member) -> SourceEntry:
    citation = member.citation
    assert citation is not None
    return SourceEntry(
        index=index,
        raw=citation.raw,
        span=citation.span or _NO_SPAN,
        citation=citation,
        truncated=citation.truncated,
    )
