"""What a rule declares besides its check: the options it reads, and what its input must hold.

`RuleOption`: a value the configuration may set (`thresholds`), refused when unknown.
Two promises about the rule's result, kept in the store's SQL before anything is rebuilt as
Python objects, so that the store gives the rule no more than it can use:
- `HeadsRead` (FOLLOW_UP rules): the findings whose heads the rule reads; the follow-up join
  filters the others out before its sort (`store.capsules.heads_read`).
- `GroupNeeds` (GROUP rules): what a group must hold for the rule to find anything in it; a
  group of the rule's kind that cannot is never rebuilt (`store.wanted`). The synthetic dump's
  acronyms each name one method in ~75,000 claims: none can conflict, and none is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

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


@dataclass(frozen=True, slots=True)
class RuleOption:
    """A rule's configurable value: `thresholds = { "CA303.tolerance_days" = 3 }` in the
    configuration. Declared with the rule, so that an unknown or misspelt option is refused and
    `capsule-audit rule CODE` lists it. The rule reads it with `ctx.threshold(key, default)`,
    `default` being this declaration's (a test keeps the two equal)."""

    name: str
    kind: Literal["integer", "number"]
    default: float
    doc: str
    minimum: float = 0
    maximum: float | None = None

    def describe(self, code: str) -> str:
        """'CA303.tolerance_days (number, default 2, at least 0): Days ...'."""
        bounds = f"at least {self.minimum:g}" + (
            f", at most {self.maximum:g}" if self.maximum is not None else ""
        )
        return f"{code}.{self.name} ({self.kind}, default {self.default:g}, {bounds}): {self.doc}"
