"""The direct path builds exactly the record the node path (and full validation) would build."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capsule_audit.cli.normalize import record_line
from capsule_audit.models.records import CapsuleRecord, SourceRef
from capsule_audit.normalize import construct, normalize_document
from capsule_audit.normalize.build import build_record, capsule_type
from capsule_audit.normalize.direct import direct_record
from capsule_audit.normalize.fast import fast_nodes
from tests.conftest import SEEDS
from tests.normalize.forms import CONFIG, equivalent_forms, read_document, units
from tests.normalize.test_fast import CANONICAL_FIXTURES, capsules

SOURCE = SourceRef(path="doc.jsonld", line=3, index=2)


def node_record(value: dict[str, Any]) -> CapsuleRecord | None:
    """The node path's record (fast.py + build.py), or None when it gives a finding, no capsule, or a
    record with a field left out (CA004: the direct path leaves those to the node path)."""
    located = fast_nodes(value)
    if located is None or len(located) != 1 or capsule_type(located[0][1]) is None:
        return None
    unit = build_record(located[0][1], SOURCE, lambda: "identity")
    return unit if isinstance(unit, CapsuleRecord) and not unit.input_findings else None


def assert_same_as_validated(record: CapsuleRecord, expected: CapsuleRecord) -> None:
    assert record == expected
    assert record.model_fields_set == expected.model_fields_set
    assert record.properties.model_fields_set == expected.properties.model_fields_set
    assert list(record.__dict__) == list(expected.__dict__)  # field order: the output's key order
    assert CapsuleRecord.model_validate(record.model_dump()) == record
    assert record_line(record) == record_line(expected)


@pytest.mark.parametrize("path", CANONICAL_FIXTURES, ids=lambda p: p.name)
def test_fixtures_take_the_direct_path(path: Any) -> None:
    value = json.loads(path.read_bytes())
    record = direct_record(value, SOURCE)
    expected = node_record(value)
    assert record is not None and expected is not None
    assert_same_as_validated(record, expected)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(capsules())
def test_direct_equals_node_path_generated(capsule: dict[str, Any]) -> None:
    record = direct_record(capsule, SOURCE)
    expected = node_record(capsule)
    if expected is None:
        assert record is None  # a finding or no capsule: the node path words it
    else:
        assert record is not None  # every valid canonical capsule takes the direct path
        assert_same_as_validated(record, expected)


_ODD_VALUES = st.sampled_from([None, True, 7, 2.5, [], ["x", "x"], {}, "x", {"@type": ["Thing", "Thing"]}])
_ODD_NAMES = st.sampled_from(["extra", "trust_tier", "trust_level", "content_hash", "", None, 40])


@st.composite
def odd_capsules(draw: st.DrawFn) -> dict[str, Any]:
    """Canonical capsules with one or more values bent out of shape (nulls, lists, wrong types)."""
    capsule = draw(capsules())
    keys = [k for k in capsule if k != "@context"]
    for key in draw(st.lists(st.sampled_from([*keys, "isPartOf", "about", "keywords"]), max_size=3)):
        capsule[key] = draw(_ODD_VALUES)
    values = capsule.get("additionalProperty")
    for item in values if isinstance(values, list) else ():
        if isinstance(item, dict) and draw(st.booleans()):
            name = draw(_ODD_NAMES)
            if name is None and draw(st.booleans()):
                item.pop("name", None)
            else:
                item["name"] = name
            item["value"] = draw(st.one_of(st.just(item["value"]), _ODD_VALUES))
    return capsule


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(odd_capsules())
def test_direct_is_none_or_equal_on_odd_shapes(capsule: dict[str, Any]) -> None:
    record = direct_record(capsule, SOURCE)
    if record is not None:
        expected = node_record(capsule)
        assert expected is not None
        assert_same_as_validated(record, expected)


def test_property_names_that_are_field_names_go_to_extra() -> None:
    capsule = json.loads(CANONICAL_FIXTURES[0].read_bytes())
    capsule["additionalProperty"] = [
        {"@type": "PropertyValue", "name": n, "value": v}
        for n, v in [("extra", 1), ("trust_tier", "core"), ("trust_level", 40), ("trust_level", 250)]
    ]
    record = direct_record(capsule, SOURCE)
    assert record is not None and record == node_record(capsule)
    assert record.properties.extra == {"extra": 1, "trust_tier": "core"}
    assert (record.properties.trust_level, record.properties.trust_tier) == (40, "sandbox")


def test_nulls_take_the_node_path() -> None:
    capsule = json.loads(CANONICAL_FIXTURES[0].read_bytes())
    assert direct_record({**capsule, "name": None}, SOURCE) is None
    assert direct_record({**capsule, "isPartOf": {"@type": "Dataset", "url": None}}, SOURCE) is None


def test_equal_parts_are_shared_and_the_cache_is_bounded() -> None:
    first = construct.part({"@type": "Dataset", "name": "D", "url": "https://example.org/d"})
    assert first is construct.part({"name": "D", "url": "https://example.org/d", "@type": "Dataset"})
    assert first is not construct.part({"@type": "Dataset", "name": "D"})
    for n in range(construct._PARTS_MAX + 10):
        construct.part({"@type": "Thing", "name": str(n)})
    assert len(construct._PARTS) <= construct._PARTS_MAX


def _all_records() -> list[CapsuleRecord]:
    """Seed records (capsules and the digest), and pyld-path records of equivalent forms."""
    seeds = [u for p in sorted(SEEDS.iterdir()) for u in normalize_document(read_document(p), CONFIG)]
    capsule = json.loads(CANONICAL_FIXTURES[0].read_bytes())
    forms = [u for _, form in equivalent_forms(capsule) for u in units(form)]
    return [u for u in seeds + forms if isinstance(u, CapsuleRecord)]


def test_record_line_is_pydantic_json_mode_through_orjson() -> None:
    records = _all_records()
    assert {r.kind for r in records} == {"capsule", "digest"}
    for record in records:
        assert record_line(record) == orjson.dumps(record.model_dump(mode="json")) + b"\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(capsules())
def test_record_line_generated(capsule: dict[str, Any]) -> None:
    for unit in units(capsule):
        if isinstance(unit, CapsuleRecord):
            assert record_line(unit) == orjson.dumps(unit.model_dump(mode="json")) + b"\n"


def test_record_line_survives_integers_beyond_64_bits() -> None:
    capsule = json.loads(CANONICAL_FIXTURES[0].read_bytes())
    capsule["additionalProperty"] = [{"@type": "PropertyValue", "name": "big", "value": 2**80}]
    (record,) = units(capsule)
    assert isinstance(record, CapsuleRecord)
    assert json.loads(record_line(record))["properties"]["extra"] == {"big": 2**80}
