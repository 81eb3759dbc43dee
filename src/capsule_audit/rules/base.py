"""The rule contract: a rule is a pure generator of Violations, declared with `@rule`.

Scopes:
- `INPUT`: raised by loading/normalization (CA0xx); listed for docs, never called by the engine.
- `CAPSULE`: `check(subject: Subject, ctx) -> Iterator[Violation]`, once per record.
- `GROUP`: `check(group: Group, ctx) -> Iterator[Violation]`, once per group of members sharing a
  key of kind `rule.group_by` (cited identifier, method, acronym, title, capsule id, ...) with at
  least `rule.min_members` members (default 2) and what it declares it needs (`GroupNeeds`, in
  `rules.declared`). Grouping, never all pairs, keeps cost linear.
- `FOLLOW_UP`: `check(meta: CapsuleMeta, findings: tuple[FindingHead, ...], ctx)`, after the
  others, with the rule, severity and key of each finding that involves that capsule (CA503 reads
  them), in report order; only of the findings some selected FOLLOW_UP rule reads (`HeadsRead`).

The engine, not the rule, stamps code, name and severity onto the Finding and computes its
fingerprint (`rules.stamp`). A rule may lower or raise one violation's severity (positional
bindings count at a lower severity than explicit ones) through `Violation.severity`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from capsule_audit.models.claims import ExtractedCapsule
from capsule_audit.models.findings import Evidence, Finding, Location, Severity
from capsule_audit.models.records import CapsuleProperties, CapsuleRecord, RecordKind, SourceRef
from capsule_audit.models.verdicts import Verdict
from capsule_audit.rules.declared import GroupNeeds, HeadsRead, RuleOption
from capsule_audit.rules.members import Group as Group
from capsule_audit.rules.members import GroupKind as GroupKind
from capsule_audit.rules.members import Member as Member


class Scope(StrEnum):
    INPUT = "input"
    CAPSULE = "capsule"
    GROUP = "group"
    FOLLOW_UP = "follow-up"


@dataclass(frozen=True, slots=True)
class Subject:
    """One record and what extraction learned from it (CAPSULE scope)."""

    record: CapsuleRecord
    extracted: ExtractedCapsule


@dataclass(frozen=True, slots=True)
class CapsuleMeta:
    """A record without its text: what FOLLOW_UP rules see (records are not kept in memory)."""

    id: str
    kind: RecordKind
    source: SourceRef
    name: str | None
    properties: CapsuleProperties
    date_created: datetime | None


@dataclass(frozen=True, slots=True)
class FindingHead:
    """What FOLLOW_UP rules see of a finding: small enough to file under every capsule it names.

    A finding may name tens of thousands of capsules; joining the whole finding to each of them
    re-read it once per batch of capsules, and cost grew with the square of the dump.
    """

    rule: str
    severity: Severity
    key: str | None

    @classmethod
    def of(cls, finding: Finding) -> FindingHead:
        """The head of a finding."""
        return cls(finding.rule, finding.severity, finding.key)


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule yields; the engine turns it into a Finding.

    `capsules` defaults to the subject's capsule (CAPSULE scope) or the group's capsules.
    `identity` tells apart several violations of one rule on one key and capsule set, so that
    each gets its own stable fingerprint (e.g. the claim text hash, the field name).
    """

    message: str
    capsules: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    key: str | None = None
    location: Location | None = None
    evidence: tuple[Evidence, ...] = ()
    severity: Severity | None = None
    identity: str = ""


@dataclass(frozen=True)
class RuleContext:
    """What a rule may read besides its subject: the audit clock, thresholds, online verdicts,
    and whose findings are wanted: a batch checked against a corpus keeps only the findings
    naming one of its capsules (`only`; None: every finding), so a rule may skip work whose
    findings could name none of them."""

    now: datetime
    thresholds: Mapping[str, float] = field(default_factory=dict)
    verdicts: Mapping[str, Verdict] = field(default_factory=dict)  # key -> verdict, with --online only
    only: frozenset[str] | None = None  # with a corpus: findings naming none of these are dropped

    def threshold(self, name: str, default: float) -> float:
        """A named threshold ('CA303.tolerance_days'), configurable, with the rule's default."""
        return float(self.thresholds.get(name, default))


Check = Callable[..., Iterator[Violation]]


@dataclass(frozen=True)
class Rule:
    """A rule's identity, defaults and check. Codes are stable; a retired code is never reused."""

    code: str
    name: str
    severity: Severity
    scope: Scope
    check: Check | None
    doc: str
    group_by: GroupKind | None = None
    version: str = "1"
    min_members: int = 2  # GROUP rules: smallest group passed to `check` (conflicts need two)
    options: tuple[RuleOption, ...] = ()  # configurable values, `thresholds` keys "CODE.name"
    reads: HeadsRead | None = None  # FOLLOW_UP rules: the findings read (None: all)
    needs: GroupNeeds | None = None  # GROUP rules: what a group must hold to reach it (None: nothing)

    @property
    def family(self) -> str:
        """'CA4' for CA401: select or ignore a whole family."""
        return self.code[:3]

    @property
    def summary(self) -> str:
        """First line of the docstring."""
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""


def rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    scope: Scope,
    group_by: GroupKind | None = None,
    version: str = "1",
    min_members: int = 2,
    options: tuple[RuleOption, ...] = (),
    reads: HeadsRead | None = None,
    needs: GroupNeeds | None = None,
) -> Callable[[Check], Rule]:
    """Declare a rule; the decorated function's docstring is its documentation.

    `min_members` (GROUP rules): the smallest group the rule is given; 1 for rules that judge
    one key on its own (an identifier cited once), not a conflict between members.
    `options`: the values the rule lets the configuration set (see `RuleOption`).
    `reads` (FOLLOW_UP rules): the findings whose heads it reads (`HeadsRead`; None: all).
    `needs` (GROUP rules): what a group must hold for the rule to find anything (`GroupNeeds`).
    """

    def wrap(func: Check) -> Rule:
        if (scope is Scope.GROUP) != (group_by is not None):
            raise TypeError(f"{code}: group_by is required for GROUP rules and only for them")
        if reads is not None and scope is not Scope.FOLLOW_UP:
            raise TypeError(f"{code}: reads is for FOLLOW_UP rules only")
        if needs is not None and scope is not Scope.GROUP:
            raise TypeError(f"{code}: needs is for GROUP rules only")
        return Rule(
            code=code,
            name=name,
            severity=severity,
            scope=scope,
            check=None if scope is Scope.INPUT else func,
            doc=inspect.cleandoc(func.__doc__ or ""),
            group_by=group_by,
            version=version,
            min_members=min_members,
            options=options,
            reads=reads,
            needs=needs,
        )

    return wrap
