"""The one explicit list of built-in rules. No import-time discovery: a rule exists when it is here."""

from __future__ import annotations

from capsule_audit.rules.attribution import ATTRIBUTION_RULES
from capsule_audit.rules.base import Rule
from capsule_audit.rules.copies import COPY_RULES
from capsule_audit.rules.dates import DATE_RULES
from capsule_audit.rules.digest import DIGEST_RULES
from capsule_audit.rules.identifiers import IDENTIFIER_RULES
from capsule_audit.rules.identity import IDENTITY_RULES
from capsule_audit.rules.input import INPUT_RULES
from capsule_audit.rules.integrity import INTEGRITY_RULES
from capsule_audit.rules.online import ONLINE_RULES
from capsule_audit.rules.source_list import SOURCE_LIST_RULES

# One line per family module, in code order. Each family module exports a tuple of its rules.
BUILTIN_RULES: tuple[Rule, ...] = (
    *INPUT_RULES,
    *IDENTITY_RULES,
    *COPY_RULES,
    *IDENTIFIER_RULES,
    *SOURCE_LIST_RULES,
    *DATE_RULES,
    *ATTRIBUTION_RULES,
    *INTEGRITY_RULES,
    *DIGEST_RULES,
    *ONLINE_RULES,
)


def rules_by_code() -> dict[str, Rule]:
    """Code to rule, for `capsule-audit rule CA401` and severity lookups."""
    return {r.code: r for r in BUILTIN_RULES}
