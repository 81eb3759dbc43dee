"""What a rule declares about its input, so that the store gives it no more than it can use.

Both are promises about the rule's result, kept in the store's SQL before anything is rebuilt
as Python objects:
- `HeadsRead` (FOLLOW_UP rules): the findings whose heads the rule reads; the follow-up join
  filters the others out before its sort (`store.capsules.heads_read`).
- `GroupNeeds` (GROUP rules): what a group must hold for the rule to find anything in it; a
  group of the rule's kind that cannot is never rebuilt (`store.wanted`). The synthetic dump's
  acronyms each name one method in ~75,000 claims: none can conflict, and none is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from capsule_audit.models.findings import Severity


@dataclass(frozen=True, slots=True)
class HeadsRead:
    """The findings a FOLLOW_UP rule reads (`rule(reads=...)`), so the store passes no others.

    A promise: the rule's result is the same without the heads of other findings. It still gets
    those that another selected rule reads. Each field narrows; an empty one does not.
    """

    severities: frozenset[Severity] = frozenset()
    rule_prefixes: tuple[str, ...] = ()  # 'CA4' for CA401, CA402, ...
    keyed: bool = False  # only findings with a key


class Counted(StrEnum):
    """What the store can count in a group before rebuilding it (`GroupNeeds.distinct`)."""

    METHOD_NAMES = "method-names"  # the different method names (exact strings) its claims give


@dataclass(frozen=True, slots=True)
class GroupNeeds:
    """What a group must hold to reach a GROUP rule (`rule(needs=...)`): at least `at_least`
    different `distinct` values.

    A promise: the rule finds nothing in a group with fewer. A group is still rebuilt when
    another selected rule of its kind wants it (one that declares nothing wants every group of
    at least its `min_members`).
    """

    distinct: Counted
    at_least: int = 2
