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
    ("fields", "field"),
    [
        ({"name": 42}, "name"),
        ({"name": ["a", "b"]}, "name"),
        ({"text": {"@type": "Thing"}}, "text"),
        ({"dateModified": "yesterday"}, "dateModified"),
        ({"additionalProperty": [_pv("trust_level", 250)]}, "trust_level"),
        ({"additionalProperty": [_pv("trust_level", "high")]}, "trust_level"),
        ({"additionalProperty": [_pv("content_hash", 5)]}, "content_hash"),
        ({"keywords": [1, 2]}, "keywords"),
    ],
)
def test_invalid_value_is_ca004_naming_field(fields: dict[str, Any], field: str) -> None:
    (unit,) = units(_doc(**fields))
    assert isinstance(unit, Finding)
    assert (unit.rule, unit.location.field, unit.capsules) == ("CA004", field, (ID,))


def test_ca004_fingerprint_stable_and_content_derived() -> None:
    first = units(_doc(name=42), path="a.json")[0]
    again = units(_doc(name=42), path="b.json")[0]
    other = units(_doc(name=43), path="a.json")[0]
    assert isinstance(first, Finding) and isinstance(again, Finding) and isinstance(other, Finding)
    assert first.fingerprint == again.fingerprint != other.fingerprint
