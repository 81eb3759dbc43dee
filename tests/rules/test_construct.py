"""Findings, Locations and Evidence built without validation equal the validated models."""

from __future__ import annotations

from capsule_audit.models.claims import Binding, Span
from capsule_audit.models.findings import Evidence, Finding, Location, Severity
from capsule_audit.rules import construct
from capsule_audit.rules.base import Violation
from capsule_audit.rules.identity import identifier_mismatch
from capsule_audit.rules.stamp import make_finding
from tests.rules.capsules import ctx, record, subject


def _revalidated(model: Finding | Location | Evidence) -> Finding | Location | Evidence:
    return type(model).model_validate(model.model_dump())


def test_location_equals_the_validated_location_field_for_field() -> None:
    span = Span(start=3, end=9)
    built = construct.location("dump.ndjson", 4, "/0", "text", span)
    validated = Location(file="dump.ndjson", line=4, pointer="/0", field="text", span=span)
    assert built == validated == _revalidated(built)
    assert built.model_dump_json() == validated.model_dump_json()
    assert construct.location() == Location()


def test_evidence_equals_the_validated_evidence_field_for_field() -> None:
    span = Span(start=0, end=5)
    built = construct.evidence("c1", "quote", span, Binding.POSITIONAL, "c1#0")
    validated = Evidence(capsule="c1", text="quote", span=span, binding=Binding.POSITIONAL, claim="c1#0")
    assert built == validated == _revalidated(built)
    assert repr(built) == repr(validated)
    assert construct.evidence(capsule="c2", text="t") == Evidence(capsule="c2", text="t")


def test_made_findings_survive_revalidation_and_stay_frozen() -> None:
    rule_ = identifier_mismatch
    violation = Violation(
        message="m",
        capsules=("b", "a", "b"),
        claims=("y", "x"),
        key="k",
        evidence=(construct.evidence("a", "quote"),),
        identity="i",
    )
    found = make_finding(
        rule_, violation, default_capsules=("z",), default_location=construct.location("f", 1)
    )
    assert found.capsules == ("a", "b") and found.claims == ("x", "y")
    assert found == _revalidated(found)
    assert found.model_dump_json() == Finding.model_validate_json(found.model_dump_json()).model_dump_json()
    assert found.baseline is None and found.severity is Severity.ERROR
    copied = found.model_copy(update={"baseline": "new"})
    assert copied.baseline == "new" and found.baseline is None


def test_rule_findings_from_a_real_check_equal_their_revalidated_dump() -> None:
    rec = record(1, url="https://example.org/other", identifier="not-the-uuid")
    assert identifier_mismatch.check is not None
    violations = list(identifier_mismatch.check(subject(rec), ctx()))
    assert len(violations) == 2
    for v in violations:
        found = make_finding(
            identifier_mismatch, v, default_capsules=(rec.id,), default_location=construct.location()
        )
        assert found == _revalidated(found)
        assert found.location == _revalidated(found.location)
