"""Stamping: a rule's violation becomes a Finding with its code, name, severity and fingerprint.

The engine stamps what CAPSULE, GROUP and FOLLOW_UP rules yield (`make_finding`); loading and
normalization stamp what they reject (`input_finding`, CA0xx). The fingerprint depends on the
rule, key, capsule set and the violation's identity only, never on input order or form.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from capsule_audit.models.findings import Finding, Location, Severity
from capsule_audit.models.records import SourceRef
from capsule_audit.rules import construct
from capsule_audit.rules.base import Rule, Violation
from capsule_audit.rules.spans import SpanContext, place


def fingerprint(code: str, key: str | None, capsules: tuple[str, ...], identity: str) -> str:
    """Stable finding identity: independent of input order, file names and JSON-LD form."""
    return _fingerprint_sorted(code, key, tuple(sorted(capsules)), identity)


def _fingerprint_sorted(code: str, key: str | None, capsules: tuple[str, ...], identity: str) -> str:
    # `fingerprint` for capsules already sorted: the engine sorts them once for the Finding too.
    material = "\x1f".join([code, key or "", "\x1e".join(capsules), identity])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def _sorted_distinct(values: tuple[str, ...]) -> tuple[str, ...]:
    # Most violations name one capsule or none: skip the set and the sort for those.
    return values if len(values) < 2 else tuple(sorted(set(values)))


def make_finding(
    rule_: Rule,
    violation: Violation,
    *,
    default_capsules: tuple[str, ...],
    default_location: Location,
    severity_override: Severity | None = None,
    spans: SpanContext | None = None,
    owner: str | None = None,
) -> Finding:
    """Stamp a violation with its rule's code, name and (possibly overridden) severity.

    With `spans`, the location and evidence get UTF-16 spans and sentences (`rules.spans.place`);
    `owner` is the capsule of `default_location` (and of the rule's own location in CAPSULE scope).
    """
    capsules = _sorted_distinct(violation.capsules or default_capsules)
    severity = severity_override or violation.severity or rule_.severity
    location = violation.location or default_location
    evidence = violation.evidence
    claims = violation.claims
    if spans is not None:
        location, evidence = place(
            location, evidence, spans, owner=owner, defaulted=violation.location is None
        )
        if not claims:  # the claims its quotes are part of (a cut word, a malformed identifier)
            claims = tuple(e.claim for e in evidence if e.claim is not None)
    # Every value is already of its field's type (typed Violation, Rule): no validation needed.
    return construct.finding(
        rule=rule_.code,
        name=rule_.name,
        severity=severity,
        message=violation.message,
        capsules=capsules,
        claims=_sorted_distinct(claims),
        key=violation.key,
        location=location,
        evidence=evidence,
        fingerprint=_fingerprint_sorted(rule_.code, violation.key, capsules, violation.identity),
    )


def input_finding(
    rule_: Rule,
    source: SourceRef,
    message: str,
    *,
    identity: str,
    field: str | None = None,
    pointer: str | None = None,
    capsule: str | None = None,
    key: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Finding:
    """A finding about a document that did not become a record (CA0xx).

    `identity` should come from the document's content (e.g. a hash of its bytes) so the
    fingerprint survives reordering; pass the source path+pointer only when there is no content.
    """
    del extra  # reserved
    location = Location(
        file=source.path,
        line=source.line,
        pointer=pointer if pointer is not None else (source.pointer or None),
        field=field,
    )
    capsules = (capsule,) if capsule else ()
    return Finding(
        rule=rule_.code,
        name=rule_.name,
        severity=rule_.severity,
        message=message,
        capsules=capsules,
        key=key,
        location=location,
        fingerprint=fingerprint(rule_.code, key, capsules, identity),
    )
