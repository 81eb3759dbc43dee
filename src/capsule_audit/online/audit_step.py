"""The audit's online step: what `verify` is handed, and CA70x on identifiers cited once.

`api.audit` calls these between the streaming pass and the group pass. The citation groups of
the group index already hold every claim that cites an identifier and every Sources entry no
claim is bound to, so the verifier is fed from them: no record is kept for it.

The engine's group pass only sees groups of two or more members (conflicts need two). The CA70x
rules judge one identifier, not a conflict, so an identifier cited once must reach them too:
`check_single_citations` runs the selected online rules on the one-member citation groups.
"""

from __future__ import annotations

from collections.abc import Iterable

from capsule_audit.models.claims import Claim, ExtractedCapsule, SourceEntry, Span
from capsule_audit.models.findings import Finding, Location
from capsule_audit.rules.base import Group, GroupKind, make_finding
from capsule_audit.rules.engine import Engine, severity_override
from capsule_audit.rules.online import ONLINE_RULES

_ONLINE_CODES = frozenset(r.code for r in ONLINE_RULES)
_NO_SPAN = Span(start=0, end=0)


def cited_capsules(groups: Iterable[Group]) -> list[ExtractedCapsule]:
    """One ExtractedCapsule per citing capsule: its citing claims and its unbound Sources entries."""
    claims: dict[str, dict[str, Claim]] = {}
    listed: dict[str, list[SourceEntry]] = {}
    for group in groups:
        if group.kind is not GroupKind.CITATION:
            continue
        for member in group.members:
            claims.setdefault(member.capsule, {})
            if member.claim is not None:
                claims[member.capsule].setdefault(member.claim.id, member.claim)
            elif member.citation is not None:
                entries = listed.setdefault(member.capsule, [])
                citation = member.citation
                span = citation.span or _NO_SPAN
                entries.append(
                    SourceEntry(
                        index=len(entries),
                        raw=citation.raw,
                        span=span,
                        citation=citation,
                        truncated=citation.truncated,
                    )
                )
    return [
        ExtractedCapsule(
            capsule=capsule,
            claims=tuple(own.values()),
            sources=tuple(listed.get(capsule, ())),
        )
        for capsule, own in sorted(claims.items())
    ]


def check_single_citations(engine: Engine, groups: Iterable[Group]) -> list[Finding]:
    """The selected CA70x rules on every citation group of one member that has a verdict."""
    verdicts = engine.ctx.verdicts
    rules = [r for r in engine.rules if r.code in _ONLINE_CODES and r.check is not None]
    if not verdicts or not rules:
        return []
    found: list[Finding] = []
    for group in groups:
        if group.kind is not GroupKind.CITATION or len(group.members) != 1 or group.key not in verdicts:
            continue
        source = group.members[0].source
        where = Location(file=source.path, line=source.line, pointer=source.pointer or None)
        for rule_ in rules:
            assert rule_.check is not None
            found.extend(
                make_finding(
                    rule_,
                    violation,
                    default_capsules=group.capsules,
                    default_location=where,
                    severity_override=severity_override(rule_, engine.config.severity),
                )
                for violation in rule_.check(group, engine.ctx)
            )
    return found
