"""What a GROUP rule is given: a group of members sharing a key (`rules.index` files them).

A member is one capsule's entry in a group (with the claim or citation that put it there); a
METHOD group holds its claims' credits instead (`rules.credited`), reduced by the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from capsule_audit.models.claims import Citation, Claim
from capsule_audit.models.records import SourceRef
from capsule_audit.rules.credited import ClaimCredit, Placed


class GroupKind(StrEnum):
    """What members of a group share."""

    CITATION = "citation"  # normalized cited identifier: 'arxiv:2604.01234'
    METHOD = "method"  # identifiers.methods.method_block: what an acronym and its name share
    ACRONYM = "acronym"  # method acronym, upper-case
    TITLE = "title"  # normalized capsule title
    CAPSULE_ID = "capsule-id"  # the capsule @id
    TEXT_LENGTH = "text-length"  # exact length of `text` (export cuts share one)
    TEXT_BLOCK = "text-block"  # blocking key for near-duplicate text


@dataclass(frozen=True, slots=True)
class Member:
    """One entry of a group: a capsule, and the claim/citation that put it there (if any).

    Compact on purpose: groups are held in memory for the whole dump.
    """

    capsule: str
    source: SourceRef
    claim: Claim | None = None
    citation: Citation | None = None
    name: str | None = None
    date_created: datetime | None = None
    content_digest: str = ""  # sha256 of the record's canonical content (CA101: identical vs differ)
    text_sample: str | None = None  # TEXT_LENGTH: the text's tail (is it cut?)
    packed_sample: bytes = b""  # TEXT_BLOCK: the normalized start of the text, packed (`rules.samples`)
    astral: tuple[int, ...] = ()  # claim members: `rules.spans.astral_offsets` of the text (UTF-16 spans)


@dataclass(frozen=True, slots=True)
class Group:
    """Members sharing a key; a METHOD group is its claims' credits instead (`rules.credited`)."""

    kind: GroupKind
    key: str
    members: tuple[Member, ...]
    credits: tuple[ClaimCredit, ...] = ()  # METHOD: one per (capsule, claim), in credit order
    filed: int = 0  # METHOD: the members filed (the group's size), none of them rebuilt

    @property
    def size(self) -> int:
        """Members in the group (what `min_members` counts)."""
        return self.filed if self.credits else len(self.members)

    @property
    def capsules(self) -> tuple[str, ...]:
        """Distinct capsule ids in the group, sorted."""
        if self.credits:
            return tuple(sorted({c.capsule for c in self.credits}))
        return tuple(sorted({m.capsule for m in self.members}))

    def placed(self) -> Iterator[Placed]:
        """Its members (or credits) that place their capsules: a capsule's first first. A credit's
        source is made when read (`ClaimCredit.source`), so only for the capsules asked about."""
        if not self.credits:
            return iter(self.members)
        # A capsule's first member in member order holds its least claim id (credits are in
        # claim order, and one per claim).
        firsts: dict[str, ClaimCredit] = {}
        for c in self.credits:
            held = firsts.get(c.capsule)
            if held is None or c.claim.id < held.claim.id:
                firsts[c.capsule] = c
        return iter(firsts.values())
