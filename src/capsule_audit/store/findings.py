"""Findings on disk: sorted by the report's order, de-duplicated and suppressed as they stream.

The engine's `suppress` sorts a list of every finding; here findings go to a `SortedSpool` as
they are produced and are finalized on the way out. Each is stored with a tie-break that gives
findings equal under `finding_sort_key` the order the in-memory audit gives them: stream findings
in input order first, then group findings in the (kind, key) order of their group.

De-duplication needs no set of every fingerprint: a fingerprint hashes the rule, key, capsules
and identity, and the sort order starts with rule, key and capsules, so findings sharing a
fingerprint are neighbours; only the fingerprints of the current (rule, key, capsules) block are
remembered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from capsule_audit.config import Suppression
from capsule_audit.models.findings import Finding
from capsule_audit.rules.base import Scope
from capsule_audit.rules.engine import finding_sort_key
from capsule_audit.rules.registry import BUILTIN_RULES
from capsule_audit.rules.selection import suppresses
from capsule_audit.store.spool import SortedSpool, Workspace

Ranked = tuple[tuple[Any, ...], Finding]
"""A finding and its tie-break: (0, seq) stream, (1, kind, key, seq) group, (2, ordinal, seq) follow-up."""

INPUT_CODES = frozenset(r.code for r in BUILTIN_RULES if r.scope is Scope.INPUT)
"""Input findings (CA0xx) are never de-duplicated: each stands for one rejected document."""


def ranked_key(item: Ranked) -> tuple[Any, ...]:
    """The report order, then the tie-break."""
    return (finding_sort_key(item[1]), item[0])


def finding_size(finding: Finding) -> int:
    """About the objects a finding holds: a group finding may name thousands of capsules."""
    return 1 + len(finding.capsules) + len(finding.claims) + len(finding.evidence)


def finding_weight(item: Ranked) -> int:
    """`finding_size` of a ranked finding."""
    return finding_size(item[1])


def finding_spool(workspace: Workspace) -> SortedSpool[Ranked]:
    """An empty spool of ranked findings."""
    return SortedSpool(workspace, ranked_key, weight=finding_weight)


def finalize(
    findings: Iterable[Finding],
    suppressions: Sequence[Suppression],
    *,
    input_codes: frozenset[str] = INPUT_CODES,
) -> Iterator[Finding]:
    """What `Engine.suppress(...).findings` keeps, for findings already in report order."""
    block: tuple[str, str, tuple[str, ...]] | None = None
    seen: set[str] = set()
    for f in findings:
        if f.rule not in input_codes:
            here = (f.rule, f.key or "", f.capsules)
            if here != block:
                block, seen = here, set()
            if f.fingerprint in seen:
                continue
            seen.add(f.fingerprint)
        if suppressions and any(suppresses(s, f) for s in suppressions):
            continue
        yield f


def unranked(items: Iterable[Ranked]) -> Iterator[Finding]:
    """The findings without their tie-breaks."""
    for _, finding in items:
        yield finding
