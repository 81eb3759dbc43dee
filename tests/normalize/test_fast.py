"""Differential: the fast path and the pyld path give identical records, for every equivalent form."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capsule_audit.models.records import CapsuleRecord
from capsule_audit.normalize.fast import fast_nodes
from tests.conftest import FIXTURES, SEEDS
from tests.normalize.forms import equivalent_forms, pyld_units, units, without_source

JSON_SEEDS = sorted(p for p in SEEDS.iterdir() if p.read_bytes().lstrip().startswith(b"{"))
CANONICAL_FIXTURES = [*JSON_SEEDS, FIXTURES / "jsonld" / "equivalent" / "compact.jsonld"]

_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
_tag = st.lists(_word, min_size=1, max_size=3).map("-".join)
_thing = st.fixed_dictionaries(
    {"@type": st.sampled_from(["Thing", "Dataset", "Organization"]), "name": st.text(max_size=30)},
    optional={"url": st.sampled_from(["https://forgecascade.org", "http://example.org/x"])},
)
_date = st.one_of(
    st.datetimes(timezones=st.none()).map(lambda d: d.isoformat() + "Z"),
    st.builds(
        lambda d, digits, tz: d.strftime("%Y-%m-%dT%H:%M:%S") + "." + "7" * digits + tz,
        st.datetimes(),
        st.integers(1, 9),
        st.sampled_from(["Z", "+00:00", "-05:30", ""]),
    ),
    st.sampled_from(["2026-04-12", "last Tuesday", "2026-02-30T00:00:00Z"]),
)
_property = st.one_of(
    st.tuples(st.just("trust_level"), st.one_of(st.integers(-5, 260), st.sampled_from(["60", 40.0]))),
    st.tuples(st.sampled_from(["verification_status", "provenance_status", "evidence_level"]), _tag),
    st.tuples(st.just("content_hash"), st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)),
    st.tuples(_word, st.one_of(st.integers(-(2**40), 2**40), _word, st.booleans().map(str))),
)


@st.composite
def capsules(draw: st.DrawFn) -> dict[str, Any]:
    """Seed-like capsules in the canonical Forge export shape, valid and invalid values alike."""
    uuid = draw(st.uuids()).hex
    capsule: dict[str, Any] = {
        "@context": draw(
            st.sampled_from(
                ["https://schema.org", "http://schema.org/", "https://schema.org/docs/jsonldcontext.jsonld"]
            )
        ),
        "@type": draw(st.sampled_from(["CreativeWork", "ScholarlyArticle", "Report", "Person"])),
        "@id": f"https://forgecascade.org/public/capsules/{uuid}",
        "name": draw(st.text(max_size=90)),
        "text": draw(st.text(max_size=300)),
    }
    optional: dict[str, Any] = {
        "identifier": uuid,
        "url": capsule["@id"],
        "keywords": draw(st.lists(_tag, max_size=4)),
        "about": draw(st.lists(_thing, max_size=2)),
        "citation": draw(st.lists(st.one_of(st.text(max_size=20), _thing), max_size=2)),
        "isPartOf": draw(_thing),
        "publisher": draw(_thing),
        "dateCreated": draw(_date),
        "dateModified": draw(_date),
        "additionalProperty": [
            {"@type": "PropertyValue", "name": n, "value": v}
            for n, v in draw(st.lists(_property, max_size=6))
        ],
    }
    for key in draw(st.sets(st.sampled_from(sorted(optional)))):
        capsule[key] = optional[key]
    return capsule


def test_fixtures_are_canonical() -> None:
    # Otherwise the differential tests below would compare the pyld path with itself.
    for path in CANONICAL_FIXTURES:
        assert fast_nodes(json.loads(path.read_bytes())) is not None, path


@pytest.mark.parametrize("path", CANONICAL_FIXTURES, ids=lambda p: p.name)
def test_fast_equals_pyld_on_fixtures(path: Any) -> None:
    value = json.loads(path.read_bytes())
    assert units(value) == pyld_units(value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(capsules())
def test_fast_equals_pyld_generated(capsule: dict[str, Any]) -> None:
    assert fast_nodes(capsule) is not None
    assert units(capsule) == pyld_units(capsule)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(capsules(), st.integers(0, 2**16))
def test_equivalent_forms_give_identical_records(capsule: dict[str, Any], seed: int) -> None:
    expected = [without_source(u) for u in units(capsule)]
    for name, form in equivalent_forms(capsule, seed):
        got = [without_source(u) for u in units(form)]
        assert got == expected, name


@pytest.mark.parametrize("path", CANONICAL_FIXTURES, ids=lambda p: p.name)
def test_equivalent_forms_of_fixtures(path: Any) -> None:
    capsule = json.loads(path.read_bytes())
    (expected,) = units(capsule)
    assert isinstance(expected, CapsuleRecord)
    for name, form in equivalent_forms(capsule):
        got = units(form)
        assert [without_source(u) for u in got] == [without_source(expected)], name
