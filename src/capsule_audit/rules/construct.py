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

from typing import Any, TypeVar

from pydantic import BaseModel

from capsule_audit.models.claims import Binding, Span
from capsule_audit.models.findings import Evidence, Finding, Location, Severity

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
# The slot and `__dict__` descriptors of `BaseModel`, called directly (see `claims.construct`).
_SET_DICT = BaseModel.__dict__["__dict__"].__set__
_SET_FIELDS_SET = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_SET_EXTRA = BaseModel.__dict__["__pydantic_extra__"].__set__
_SET_PRIVATE = BaseModel.__dict__["__pydantic_private__"].__set__
# One fields-set per class, shared by its instances: safe for frozen models (pydantic adds to it
# only on attribute assignment, which they refuse; `model_copy` copies it before updating).
_LOCATION_FIELDS = set(Location.model_fields)
_EVIDENCE_FIELDS = set(Evidence.model_fields)
_FINDING_FIELDS = set(Finding.model_fields) - {"baseline"}  # what `Finding(...)` without it sets


def _make(cls: type[M], values: dict[str, Any], fields_set: set[str]) -> M:
    model = _new(cls)
    _SET_DICT(model, values)
    _SET_FIELDS_SET(model, fields_set)
    _SET_EXTRA(model, None)
    _SET_PRIVATE(model, None)
    return model


def location(
    file: str | None = None,
    line: int | None = None,
    pointer: str | None = None,
    field: str | None = None,
    span: Span | None = None,
) -> Location:
    """`Location(file=..., line=..., pointer=..., field=..., span=...)`, unvalidated."""
    values = {"file": file, "line": line, "pointer": pointer, "field": field, "span": span}
    return _make(Location, values, _LOCATION_FIELDS)


def evidence(
    capsule: str,
    text: str,
    span: Span | None = None,
    binding: Binding | None = None,
    claim: str | None = None,
) -> Evidence:
    """`Evidence(capsule=..., text=..., span=..., binding=..., claim=...)`, unvalidated."""
    values = {"capsule": capsule, "text": text, "span": span, "binding": binding, "claim": claim}
    return _make(Evidence, values, _EVIDENCE_FIELDS)


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
    return _make(Finding, values, _FINDING_FIELDS)
