"""Building Findings, Locations and Evidence without re-validating values that are already valid.

An audit makes several of these small frozen models per capsule; pydantic validation of each
cost more than the rules that produced them (a tenth of the rule side, 10,000 capsules). Every
value passed here already has the exact type validation would give: the callers are typed
(`mypy --strict`), strings are `str`, severities `Severity` members, spans `Span` models built by
extraction, sequences tuples. So the result equals the validated model; tests re-validate
`model_dump()` output and compare. Values are stored for every field in declaration order, so
`repr`, dumps and equality are the same too (the precedent: `claims.construct`).
"""

from __future__ import annotations

from capsule_audit.models.claims import Binding, Span
from capsule_audit.models.findings import Evidence, Finding, Location, Severity
from capsule_audit.models.unvalidated import build

# One fields-set per class, shared by its instances (see `models.unvalidated`).
_LOCATION_FIELDS = set(Location.model_fields)
_EVIDENCE_FIELDS = set(Evidence.model_fields)
_FINDING_FIELDS = set(Finding.model_fields) - {"baseline"}  # what `Finding(...)` without it sets


def location(
    file: str | None = None,
    line: int | None = None,
    pointer: str | None = None,
    field: str | None = None,
    span: Span | None = None,
    capsule: str | None = None,
    span_utf16: Span | None = None,
    text: str | None = None,
) -> Location:
    """`Location(file=..., line=..., pointer=..., field=..., span=..., ...)`, unvalidated."""
    values = {
        "file": file,
        "line": line,
        "pointer": pointer,
        "field": field,
        "span": span,
        "capsule": capsule,
        "span_utf16": span_utf16,
        "text": text,
    }
    return build(Location, values, _LOCATION_FIELDS)


def evidence(
    capsule: str,
    text: str,
    span: Span | None = None,
    binding: Binding | None = None,
    claim: str | None = None,
    span_utf16: Span | None = None,
    sentence: str | None = None,
    sentence_span: Span | None = None,
    sentence_span_utf16: Span | None = None,
) -> Evidence:
    """`Evidence(capsule=..., text=..., span=..., binding=..., claim=..., ...)`, unvalidated."""
    values = {
        "capsule": capsule,
        "text": text,
        "span": span,
        "binding": binding,
        "claim": claim,
        "span_utf16": span_utf16,
        "sentence": sentence,
        "sentence_span": sentence_span,
        "sentence_span_utf16": sentence_span_utf16,
    }
    return build(Evidence, values, _EVIDENCE_FIELDS)


def finding(
    *,
    rule: str,
    name: str,
    severity: Severity,
    message: str,
    capsules: tuple[str, ...],
    claims: tuple[str, ...],
    key: str | None,
    location: Location,
    evidence: tuple[Evidence, ...],
    fingerprint: str,
) -> Finding:
    """A `Finding` of the engine (no baseline mark yet), unvalidated."""
    values = {
        "rule": rule,
        "name": name,
        "severity": severity,
        "message": message,
        "capsules": capsules,
        "claims": claims,
        "key": key,
        "location": location,
        "evidence": evidence,
        "fingerprint": fingerprint,
        "baseline": None,
    }
    return build(Finding, values, _FINDING_FIELDS)
