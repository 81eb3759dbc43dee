"""Streaming top-level array elements: boundaries, lines, broken and oversized elements."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capsule_audit.config import Limits
from capsule_audit.loading import JsonDocument, RejectedDocument, scanner
from tests.loading.helpers import LOADING, load, rule_of


def test_broken_element_is_ca001_and_its_neighbours_load() -> None:
    documents = load(LOADING / "array_broken_element.json")
    assert [(rule_of(d), d.source.index, d.source.pointer, d.source.line) for d in documents] == [
        (None, 0, "/0", 2),
        ("CA001", 1, "/1", 8),
        (None, 2, "/2", 9),
    ]
    broken = documents[1]
    assert isinstance(broken, RejectedDocument) and broken.finding.location.pointer == "/1"


def test_content_after_the_array_is_ca001_after_its_elements() -> None:
    documents = load(LOADING / "trailing_content.json")
    assert [(rule_of(d), d.source.line) for d in documents] == [(None, 1), ("CA001", 2)]


def test_unclosed_array_is_reported_after_its_complete_elements() -> None:
    documents = load(LOADING / "unclosed_array.json")
    assert [rule_of(d) for d in documents] == [None, None, "CA001"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[]", []),
        ("[1, ,2]", [None, "CA001", None]),
        ("[1,2,]", [None, None, "CA001"]),
        ("[{}}, 3]", ["CA001", None]),
        ('["a", "b', [None, "CA001"]),
        ("[1 2]", ["CA001"]),
    ],
)
def test_malformed_arrays(tmp_path: Path, text: str, expected: list[str | None]) -> None:
    target = tmp_path / "a.json"
    target.write_text(text)
    assert [rule_of(d) for d in load(target)] == expected


def test_oversized_element_is_ca005_and_streaming_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scanner, "CHUNK", 64)  # the big element spans many windows
    elements: list[object] = [{"a": 1}, {"text": "z" * 3000, "list": [[1], [2]]}, {"b": "]"}]
    target = tmp_path / "a.json"
    target.write_text(json.dumps(elements, indent=1))
    documents = load(target, limits=Limits(max_document_bytes=500))
    assert [(rule_of(d), d.source.pointer) for d in documents] == [
        (None, "/0"),
        ("CA005", "/1"),
        (None, "/2"),
    ]
    assert [d.value for d in documents if isinstance(d, JsonDocument)] == [elements[0], elements[2]]


tricky_text = st.text(alphabet='ab"\\[]{},:\n\u00e9\U0001f600', max_size=12)
element_values = st.recursive(
    st.integers() | tricky_text | st.booleans() | st.none(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(tricky_text, inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    elements=st.lists(element_values, max_size=6),
    indent=st.sampled_from([None, 0, 2]),
    chunk=st.sampled_from([1, 2, 3, 7, 64, 65536]),
)
def test_elements_and_start_lines_survive_any_chunking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, elements: list[object], indent: int | None, chunk: int
) -> None:
    monkeypatch.setattr(scanner, "CHUNK", chunk)
    text = json.dumps(elements, indent=indent, ensure_ascii=False)
    target = tmp_path / "a.json"
    target.write_text(text, encoding="utf-8")
    documents = load(target)
    assert [d.value for d in documents if isinstance(d, JsonDocument)] == elements
    assert len(documents) == len(elements)
    # Each element starts on the line where its own serialization begins.
    lines = []
    position = 1
    for element in elements:
        piece = json.dumps(element, indent=indent, ensure_ascii=False)
        if indent is not None:
            piece = piece.replace("\n", "\n" + " " * indent)
        position = text.index(piece, position)
        lines.append(text.count("\n", 0, position) + 1)
        position += len(piece)
    assert [d.source.line for d in documents] == lines
