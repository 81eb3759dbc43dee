"""Record fields: uuid, typed properties, unknown properties kept, CA004 naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord
from tests.normalize.forms import units

ID = "https://forgecascade.org/public/capsules/223f9579-7bd4-418a-bf62-f72791e369f5"


def _doc(**fields: Any) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": "CreativeWork", "@id": ID, **fields}


def _pv(name: str, value: object) -> dict[str, object]:
    return {"@type": "PropertyValue", "name": name, "value": value}


def _record(**fields: Any) -> CapsuleRecord:
    (unit,) = units(_doc(**fields))
    assert isinstance(unit, CapsuleRecord), unit
    return unit


def test_uuid_from_forge_id_when_identifier_absent() -> None:
    assert _record().uuid == "223f9579-7bd4-418a-bf62-f72791e369f5"
    assert _record(identifier="other").uuid == "other"


def test_uuid_none_for_foreign_id() -> None:
    (unit,) = units({**_doc(), "@id": "https://example.org/x/1"})
    assert isinstance(unit, CapsuleRecord) and unit.uuid is None


def test_properties_typed_and_unknown_kept() -> None:
    props = _record(
        additionalProperty=[_pv("evidence_level", "peer_reviewed"), _pv("trust_level", 85), _pv("novelty", 3)]
    ).properties
    assert (props.trust_level, props.trust_tier, props.evidence_level) == (85, "trusted", "peer_reviewed")
    assert props.extra == {"novelty": 3}


def test_missing_and_empty_lists_are_equal() -> None:
    assert _record(about=[], citation=[], keywords=[]) == _record()


def test_repeated_keywords_collapse_like_json_ld_sets() -> None:
    assert _record(keywords=["a", "b", "a"]).keywords == ("a", "b")


@pytest.mark.parametrize(
    ("fields", "field", "pointer"),
    [
        ({"name": 42}, "name", "/name"),
        ({"name": ["a", "b"]}, "name", "/name"),
        ({"text": {"@type": "Thing"}}, "text", "/text"),
        ({"dateModified": "yesterday"}, "dateModified", "/dateModified"),
        ({"dateCreated": "2026-13-45"}, "dateCreated", "/dateCreated"),
        ({"additionalProperty": [_pv("trust_level", 250)]}, "trust_level", "/additionalProperty"),
        ({"additionalProperty": [_pv("trust_level", "high")]}, "trust_level", "/additionalProperty"),
        ({"additionalProperty": [_pv("content_hash", 5)]}, "content_hash", "/additionalProperty"),
        ({"keywords": [1, 2]}, "keywords", "/keywords"),
    ],
)
def test_invalid_value_is_ca004_and_the_rest_is_a_record(
    fields: dict[str, Any], field: str, pointer: str
) -> None:
    (unit,) = units(_doc(**fields))
    assert isinstance(unit, CapsuleRecord)  # audited, with the field left out
    (finding,) = unit.input_findings
    assert (finding.rule, finding.location.field, finding.location.pointer) == ("CA004", field, pointer)
    assert finding.capsules == (ID,)
    assert unit.model_copy(update={"input_findings": ()}) == _record()


def test_each_invalid_field_is_reported_and_the_valid_ones_kept() -> None:
    (unit,) = units(_doc(name=42, dateCreated="2026-13-45", text="We found it.", keywords=["k"]))
    assert isinstance(unit, CapsuleRecord)
    assert sorted(f.location.field or "" for f in unit.input_findings) == ["dateCreated", "name"]
    assert (unit.name, unit.date_created, unit.text, unit.keywords) == (None, None, "We found it.", ("k",))


def test_a_field_written_as_an_iri_is_pointed_at_as_written() -> None:
    (unit,) = units(_doc(**{"http://schema.org/dateCreated": "2026-13-45"}))
    assert isinstance(unit, CapsuleRecord)
    (finding,) = unit.input_findings
    assert finding.location.pointer == "/http:~1~1schema.org~1dateCreated"


def _ca004(value: dict[str, Any], path: str) -> Finding:
    (unit,) = units(value, path=path)
    assert isinstance(unit, CapsuleRecord)
    (finding,) = unit.input_findings
    return finding


def test_ca004_fingerprint_stable_and_content_derived() -> None:
    first = _ca004(_doc(name=42), "a.json")
    again = _ca004(_doc(name=42), "b.json")
    other = _ca004(_doc(name=43), "a.json")
    assert first.fingerprint == again.fingerprint != other.fingerprint
