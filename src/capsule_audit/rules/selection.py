"""Selecting rules and accepting findings: what the configuration's selectors mean.

Selection (`select`/`ignore`) matches a rule by code (`CA401`), name (`conflicting-attribution`)
or family (`CA4`); severity overrides use the same selectors, the most specific winning; a
suppression accepts the findings of one rule, optionally on one capsule or key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from capsule_audit.config import Suppression
from capsule_audit.errors import ConfigError
from capsule_audit.models.findings import Finding, Severity
from capsule_audit.rules.base import Rule
from capsule_audit.rules.registry import BUILTIN_RULES


def matches(rule_: Rule, selector: str) -> bool:
    """Whether `selector` (code, name or family such as 'CA4' or 'CA40') names this rule."""
    sel = selector.strip()
    upper = sel.upper()
    return upper == rule_.code or sel == rule_.name or (len(upper) < 5 and rule_.code.startswith(upper))


def check_selectors(selectors: Iterable[str], rules: Sequence[Rule] = BUILTIN_RULES) -> None:
    """Raise ConfigError for a selector that names no rule (a typo must not silently select nothing)."""
    unknown = sorted({s for s in selectors if not any(matches(r, s) for r in rules)})
    if unknown:
        raise ConfigError(f"unknown rule code, name or family: {', '.join(unknown)}")


def select_rules(
    rules: Sequence[Rule], select: Sequence[str] = (), ignore: Sequence[str] = ()
) -> tuple[Rule, ...]:
    """The rules that `select` (empty: all) keeps and `ignore` does not drop, in registry order."""
    return tuple(
        r
        for r in rules
        if (not select or any(matches(r, s) for s in select)) and not any(matches(r, s) for s in ignore)
    )


def _specificity(rule_: Rule, selector: str) -> int:
    # A code or name beats a family, a longer family beats a shorter one.
    return 10 if selector.upper() == rule_.code or selector == rule_.name else len(selector)


def severity_override(rule_: Rule, overrides: Mapping[str, Severity]) -> Severity | None:
    """The configured severity for this rule, if any (the most specific selector wins)."""
    hits = [(_specificity(rule_, sel), sel, sev) for sel, sev in overrides.items() if matches(rule_, sel)]
    return max(hits)[2] if hits else None


def suppresses(suppression: Suppression, finding: Finding) -> bool:
    """Whether an accepted-finding entry from the configuration covers this finding."""
    rule_hit = suppression.rule.upper() == finding.rule or suppression.rule == finding.name
    capsule_hit = suppression.capsule is None or suppression.capsule in finding.capsules
    key_hit = suppression.key is None or suppression.key == finding.key
    return rule_hit and capsule_hit and key_hit
