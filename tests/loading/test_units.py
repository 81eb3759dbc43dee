"""One unit to a document: the limits (CA005), invalid JSON (CA001), and the fast-path checks."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capsule_audit.config import Limits
from capsule_audit.loading import JsonDocument, RejectedDocument, parse_unit
from capsule_audit.models.records import SourceRef
from tests.loading.helpers import LOADING, load, rule_of

SOURCE = SourceRef(path="d.jsonl", line=7, index=3)


def _reject(raw: bytes, limits: Limits | None = None, source: SourceRef = SOURCE) -> RejectedDocument:
    document = parse_unit(raw, source, limits or Limits())
    assert isinstance(document, RejectedDocument), document
    return document


@pytest.mark.parametrize(
    ("fixture", "pointer"),
    [
        ("nan.json", "/score"),
        ("infinity.json", "/stats/max"),
        ("int_5000_digits.json", "/n"),
        ("duplicate_key.json", "/about/1/name"),
        ("deep_101.json", "/a" * 100),
    ],
    ids=["nan", "infinity", "int-5000-digits", "duplicate-key", "depth-101"],
)
def test_each_limit_fixture_is_ca005_with_its_pointer(fixture: str, pointer: str) -> None:
    (document,) = load(LOADING / fixture)
    assert rule_of(document) == "CA005"
    assert isinstance(document, RejectedDocument)
    assert document.finding.location.pointer == pointer
    assert document.finding.location.file == str(LOADING / fixture)


@pytest.mark.parametrize("fixture", ["deep_100.json", "int_4300_digits.json", "graph_wrapper.jsonld"])
def test_values_at_the_limit_load(fixture: str) -> None:
    (document,) = load(LOADING / fixture)
    assert isinstance(document, JsonDocument)


def test_big_integers_load_exactly() -> None:
    (document,) = load(LOADING / "int_30_digits.json")
    assert isinstance(document, JsonDocument)
    assert document.value == {"n": 123456789012345678901234567890, "m": -98765432109876543210}
    (long,) = load(LOADING / "int_4300_digits.json")
    assert isinstance(long, JsonDocument) and long.value == {"@type": "CreativeWork", "n": int("7" * 4300)}


def test_size_limit_counts_the_unit_bytes() -> None:
    raw = json.dumps({"text": "x" * 100}).encode()
    assert rule_of(_reject(raw, Limits(max_document_bytes=len(raw) - 1))) == "CA005"
    assert isinstance(parse_unit(raw, SOURCE, Limits(max_document_bytes=len(raw))), JsonDocument)


def test_configured_depth_limit_applies() -> None:
    raw = b'{"a": [{"b": []}]}'  # depth 4
    assert isinstance(parse_unit(raw, SOURCE, Limits(max_depth=4)), JsonDocument)
    assert _reject(raw, Limits(max_depth=3)).finding.location.pointer == "/a/0/b"


def test_depth_far_beyond_orjson_limit_is_ca005() -> None:
    assert rule_of(_reject(b"[" * 5000 + b"]" * 5000)) == "CA005"


@pytest.mark.parametrize(
    ("raw", "pointer"),
    [
        (b'{"a":1,"a":2}', "/a"),
        (b'{"a" : 1, "b": {"c": 1, "c" :2}}', "/b/c"),  # whitespace before the colon
        (b'[{"x":{}}, {"k/~": 1, "k/~": 1}]', "/1/k~1~0"),
        (b'{"t": "\\"a\\":", "t": 2}', "/t"),  # an escaped quote and colon inside a string
    ],
)
def test_duplicate_keys_are_named_with_their_pointer(raw: bytes, pointer: str) -> None:
    document = _reject(raw, source=SourceRef(path="a.json", line=1, index=4, pointer="/4"))
    assert rule_of(document) == "CA005"
    assert document.finding.location.pointer == "/4" + pointer


@pytest.mark.parametrize(
    "raw",
    [
        b'["x", ":"]',  # the key pattern matches across strings: over-count, exact check says fine
        b'{"a": "b\\": c", "d": ":"}',
        b'{"a":{"a":{"a":1}}}',
        b'{"n": 1.5e300, "m": -1e19}',
    ],
)
def test_lookalikes_are_not_rejected(raw: bytes) -> None:
    document = parse_unit(raw, SOURCE, Limits())
    assert isinstance(document, JsonDocument)
    assert document.value == json.loads(raw)


def test_invalid_json_is_ca001_with_the_file_line() -> None:
    document = _reject(b'{"@type": "CreativeWork",\n "name": }')
    assert rule_of(document) == "CA001"
    assert "line 8" in document.finding.message  # line 2 of a unit that starts on line 7
    assert document.finding.location.line == 7


def test_lone_surrogate_is_ca001() -> None:
    (document,) = load(LOADING / "lone_surrogate.json")
    assert rule_of(document) == "CA001"


def test_not_utf8_inside_json_is_ca001() -> None:
    assert rule_of(_reject(b'{"name": "caf\xe9"}')) == "CA001"


def test_identity_depends_on_content_not_place() -> None:
    raw = b'{"a": NaN}'
    here = _reject(raw, source=SourceRef(path="a.jsonl", line=1, index=0))
    there = _reject(raw, source=SourceRef(path="b/c.jsonl", line=9, index=8))
    other = _reject(b'{"b": NaN}')
    assert here.finding.fingerprint == there.finding.fingerprint != other.finding.fingerprint


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values, indent=st.sampled_from([None, 1, 2]))
def test_any_json_value_round_trips(value: object, indent: int | None) -> None:
    raw = json.dumps(value, indent=indent, ensure_ascii=False).encode()
    document = parse_unit(raw, SOURCE, Limits())
    assert isinstance(document, JsonDocument)
    assert document.value == value
