"""The rule engine: runs the registry over subjects, groups and follow-ups, and stamps findings.

Order of work for one audit:
1. `check_capsule` once per record, while the dump streams (CAPSULE rules);
2. `check_groups` once per group (GROUP rules, by `rule.group_by`, each given only the groups of
   at least its `min_members`; `group_minimums` tells the index how small a group to produce);
3. `follow_up_capsule` once per capsule with the heads of the findings that involve it (FOLLOW_UP);
4. the store orders the findings by `finding_sort_key`, drops duplicate fingerprints and applies
   suppressions (`store.findings`, `store.collect`).

Which rules run, at which severity, and which findings are accepted: `rules.selection`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from capsule_audit.config import AuditConfig
from capsule_audit.identifiers import credits
from capsule_audit.models.findings import Finding, Location, Severity
from capsule_audit.models.verdicts import Verdict
from capsule_audit.rules import construct
from capsule_audit.rules.base import (
    CapsuleMeta,
    Check,
    FindingHead,
    Group,
    GroupKind,
    Rule,
    RuleContext,
    Scope,
    Subject,
)
from capsule_audit.rules.group_defaults import GroupDefaults
from capsule_audit.rules.registry import BUILTIN_RULES
from capsule_audit.rules.selection import check_selectors, select_rules, severity_override
from capsule_audit.rules.spans import SpanContext
from capsule_audit.rules.stamp import make_finding


def finding_sort_key(finding: Finding) -> tuple[str, str, tuple[str, ...], str, int, str, int, str, str]:
    """Stable order: by rule, key, capsules, field, span, then fingerprint (never input order).

    Findings about no capsule (rejected documents) have nothing else to go by, so they are ordered
    by file, line and pointer first, as an editor reads them.
    """
    where = finding.location
    span = where.span
    anonymous = not finding.capsules
    return (
        finding.rule,
        finding.key or "",
        finding.capsules,
        where.field or "",
        span.start if span else -1,
        (where.file or "") if anonymous else "",
        (where.line or 0) if anonymous else 0,
        (where.pointer or "") if anonymous else "",
        finding.fingerprint,
    )


def _location_of(meta_source: CapsuleMeta | Subject) -> Location:
    source = meta_source.record.source if isinstance(meta_source, Subject) else meta_source.source
    return construct.location(source.path, source.line, source.pointer or None)


_NO_TEXT = SpanContext()


class Engine:
    """Runs the selected rules. Holds no per-dump state: callers stream subjects through it."""

    def __init__(
        self,
        config: AuditConfig,
        *,
        now: datetime,
        rules: Sequence[Rule] = BUILTIN_RULES,
        verdicts: Mapping[str, Verdict] | None = None,
        only: frozenset[str] | None = None,
    ) -> None:
        check_selectors([*config.select, *config.ignore, *config.severity], rules)
        self.config = config
        self.rules = select_rules(rules, config.select, config.ignore)
        self.ctx = RuleContext(
            now=now, thresholds=dict(config.thresholds), verdicts=verdicts or {}, only=only
        )
        self._severity = {r.code: severity_override(r, config.severity) for r in rules}
        self._by_scope: dict[Scope, tuple[Rule, ...]] = {
            scope: tuple(r for r in self.rules if r.scope is scope) for scope in Scope
        }
        self._capsule_checks = [
            (r, r.check, self._severity[r.code]) for r in self._by_scope[Scope.CAPSULE] if r.check is not None
        ]
        self._group_checks: dict[GroupKind, list[tuple[Rule, Check, Severity | None]]] = defaultdict(list)
        for r in self._by_scope[Scope.GROUP]:
            if r.group_by is not None and r.check is not None:
                self._group_checks[r.group_by].append((r, r.check, self._severity[r.code]))
        self._follow_up_checks = [
            (r, r.check, self._severity[r.code])
            for r in self._by_scope[Scope.FOLLOW_UP]
            if r.check is not None
        ]
        self._active_codes = {r.code for r in self.rules}

    @property
    def group_kinds(self) -> frozenset[GroupKind]:
        """The group kinds some selected GROUP rule needs (the index builds only these)."""
        return frozenset(r.group_by for r in self._by_scope[Scope.GROUP] if r.group_by is not None)

    @property
    def group_minimums(self) -> dict[GroupKind, int]:
        """Per needed kind, the smallest `min_members` among the selected rules of that kind."""
        floors: dict[GroupKind, int] = {}
        for r in self._by_scope[Scope.GROUP]:
            if r.group_by is not None:
                floors[r.group_by] = min(floors.get(r.group_by, r.min_members), r.min_members)
        return floors

    def restamp(self, finding: Finding) -> Finding | None:
        """An input (CA0xx) finding under this configuration: None when deselected, else re-severed."""
        if finding.rule not in self._active_codes:
            return None
        override = self._severity.get(finding.rule)
        return finding.model_copy(update={"severity": override}) if override else finding

    def check_capsule(self, subject: Subject) -> list[Finding]:
        """CAPSULE rules on one record."""
        found: list[Finding] = []
        own = (subject.record.id,)
        where: Location | None = None  # built on the first finding that needs it: most yield none
        spans: SpanContext | None = None
        for r, check, override in self._capsule_checks:
            for v in check(subject, self.ctx):
                location = v.location
                if location is None:
                    if where is None:
                        where = _location_of(subject)
                    location = where
                if spans is None:
                    spans = SpanContext(record=subject.record, claims=subject.extracted.claims)
                found.append(
                    make_finding(
                        r,
                        v,
                        default_capsules=own,
                        default_location=location,
                        severity_override=override,
                        spans=spans,
                        owner=own[0],
                    )
                )
        return found

    def check_groups(self, groups: Iterable[Group]) -> list[Finding]:
        """GROUP rules on every group of their kind that has at least their `min_members`.

        Findings come out in the order of (kind, key) of their group whatever order the groups
        arrive in (a spilled index yields them partition by partition), so that findings equal
        under `finding_sort_key` keep one order in every mode.
        """
        per_group: list[tuple[tuple[str, str], list[Finding]]] = []
        for group in groups:
            size = group.size
            found: list[Finding] = []
            defaults = GroupDefaults(group)
            for r, check, override in self._group_checks.get(group.kind, ()):
                if size < r.min_members:
                    continue
                for v in check(group, self.ctx):
                    location, owner = (v.location, None) if v.location else defaults.located(v.capsules)
                    found.append(
                        make_finding(
                            r,
                            v,
                            default_capsules=v.capsules or defaults.capsules(),
                            default_location=location,
                            severity_override=override,
                            spans=defaults.spans(),
                            owner=owner,
                        )
                    )
            credits.release()
            if found:
                per_group.append(((group.kind.value, group.key), found))
        per_group.sort(key=lambda item: item[0])  # stable: repeated keys keep their order
        return [f for _, found in per_group for f in found]

    @property
    def has_follow_up(self) -> bool:
        """Whether some selected rule is a FOLLOW_UP rule (else the audit skips that pass)."""
        return bool(self._follow_up_checks)

    def follow_up_capsule(self, meta: CapsuleMeta, heads: tuple[FindingHead, ...]) -> list[Finding]:
        """FOLLOW_UP rules on one capsule, given the heads of its findings in report order."""
        found: list[Finding] = []
        where: Location | None = None  # built on the first finding that needs it
        for r, check, override in self._follow_up_checks:
            for v in check(meta, heads, self.ctx):
                if where is None:
                    where = _location_of(meta)
                found.append(
                    make_finding(
                        r,
                        v,
                        default_capsules=(meta.id,),
                        default_location=where,
                        severity_override=override,
                        spans=_NO_TEXT,  # no text here: only the location's capsule is added
                        owner=meta.id,
                    )
                )
        return found
