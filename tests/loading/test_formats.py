"""Format detection by content: object, @graph, NDJSON, gzip of each, text pages, encodings."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capsule_audit.config import Limits
from capsule_audit.loading import JsonDocument, RejectedDocument, TextDocument
from tests.loading.helpers import LOADING, kinds, load, rule_of

CAPSULES = [
    {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": f"https://x.test/c/{i}",
        "name": f"C{i}",
    }
    for i in range(3)
]
GRAPH = {"@context": "https://schema.org", "@graph": CAPSULES}

# (file name, bytes) -> expected (line, index, pointer) of each document
FORMATS: dict[str, tuple[str, bytes, list[tuple[int, int | None, str]]]] = {
    "object": ("c.txt", json.dumps(CAPSULES[0]).encode(), [(1, None, "")]),
    "pretty object": ("c.json", b"\n\n" + json.dumps(CAPSULES[0], indent=2).encode(), [(3, None, "")]),
    "array": ("c.json", json.dumps(CAPSULES, indent=2).encode(), [(2, 0, "/0"), (8, 1, "/1"), (14, 2, "/2")]),
    "compact array": ("c", json.dumps(CAPSULES).encode(), [(1, 0, "/0"), (1, 1, "/1"), (1, 2, "/2")]),
    "graph": ("g.jsonld", json.dumps(GRAPH, indent=1).encode(), [(1, None, "")]),
    "ndjson by name": (
        "d.jsonl",
        b"\n".join(json.dumps(c).encode() for c in CAPSULES),
        [(1, 0, ""), (2, 1, ""), (3, 2, "")],
    ),
    "ndjson by content": (
        "d.txt",
        b"\r\n".join(json.dumps(c).encode() for c in CAPSULES) + b"\r\n\r\n",
        [(1, 0, ""), (2, 1, ""), (3, 2, "")],
    ),
}


def _write(tmp_path: Path, name: str, data: bytes, compress: bool) -> Path:
    target = tmp_path / (name + ".gz" if compress else name)
    target.write_bytes(gzip.compress(data) if compress else data)
    return target


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("shape", list(FORMATS))
def test_each_format_yields_its_units_with_line_index_and_pointer(
    tmp_path: Path, shape: str, compress: bool
) -> None:
    name, data, expected = FORMATS[shape]
    target = _write(tmp_path, name, data, compress)
    documents = load(target)
    assert [(d.source.line, d.source.index, d.source.pointer) for d in documents] == expected
    assert all(isinstance(d, JsonDocument) and d.source.path == str(target) for d in documents)


def test_graph_wrapper_is_passed_whole_with_its_context(tmp_path: Path) -> None:
    (document,) = load(_write(tmp_path, "g.json", json.dumps(GRAPH).encode(), False))
    assert isinstance(document, JsonDocument)
    assert document.value == GRAPH


def test_gzip_is_detected_by_magic_bytes_not_name(tmp_path: Path) -> None:
    target = tmp_path / "capsule.txt"
    target.write_bytes(gzip.compress(json.dumps(CAPSULES[0]).encode()))
    (document,) = load(target)
    assert isinstance(document, JsonDocument) and document.value == CAPSULES[0]


def test_text_page_is_a_text_document(tmp_path: Path) -> None:
    target = tmp_path / "digest.txt"
    target.write_text("AI Scholar Hub\n\n2026: A year\n", encoding="utf-8")
    (document,) = load(target)
    assert isinstance(document, TextDocument) and document.text == "AI Scholar Hub\n\n2026: A year\n"


def test_markdown_file_is_text_even_when_it_starts_like_json(tmp_path: Path) -> None:
    target = tmp_path / "page.md"
    target.write_text("[link](https://x.test) and more\n")
    assert kinds(load(target)) == ["text"]


def test_ndjson_line_2_broken_still_yields_lines_1_and_3() -> None:
    documents = load(LOADING / "ndjson_broken_line2.jsonl")
    assert [(rule_of(d), d.source.line, d.source.index) for d in documents] == [
        (None, 1, 0),
        ("CA001", 2, 1),
        (None, 4, 2),
    ]
    broken = documents[1]
    assert isinstance(broken, RejectedDocument) and broken.finding.location.line == 2


@pytest.mark.parametrize(
    "fixture", ["invalid_utf8.txt", "nul_byte.txt", "utf16_bom.json"], ids=["not-utf8", "nul", "utf16"]
)
def test_bad_encodings_are_ca001(fixture: str) -> None:
    (document,) = load(LOADING / fixture)
    assert rule_of(document) == "CA001"
    assert document.source.path.endswith(fixture)


def test_utf8_bom_is_accepted() -> None:
    (document,) = load(LOADING / "utf8_bom.json")
    assert isinstance(document, JsonDocument) and isinstance(document.value, dict)


def test_empty_file_is_a_finding_not_silence(tmp_path: Path) -> None:
    target = tmp_path / "empty.json"
    target.write_bytes(b"  \n\n")
    assert kinds(load(target)) == ["CA001"]


def test_oversized_ndjson_line_is_ca005_and_the_next_line_loads(tmp_path: Path) -> None:
    big = dict(CAPSULES[0], text="x" * 5000)
    target = tmp_path / "d.jsonl"
    target.write_text(
        json.dumps(CAPSULES[1]) + "\n" + json.dumps(big) + "\n" + json.dumps(CAPSULES[2]) + "\n"
    )
    documents = load(target, limits=Limits(max_document_bytes=1000))
    assert [(rule_of(d), d.source.line) for d in documents] == [(None, 1), ("CA005", 2), (None, 3)]


def test_oversized_whole_document_and_text_page_are_ca005(tmp_path: Path) -> None:
    (tmp_path / "big.json").write_text(json.dumps(dict(CAPSULES[0], text="y" * 3000), indent=2))
    (tmp_path / "big.txt").write_text("digest\n" * 500)
    assert kinds(load(tmp_path, limits=Limits(max_document_bytes=1000))) == ["CA005", "CA005"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), name=st.sampled_from(["x.json", "x.jsonl", "x.txt", "x.md", "x"]))
def test_arbitrary_bytes_never_raise_and_every_unit_is_a_document(
    tmp_path: Path, data: bytes, name: str
) -> None:
    target = tmp_path / name
    target.write_bytes(data)
    documents = load(target, limits=Limits(max_document_bytes=200))
    for document in documents:
        assert isinstance(document, JsonDocument | TextDocument | RejectedDocument)
        assert document.source.path == str(target)
    if not data.strip():
        assert kinds(documents) == ["CA001"]  # nothing is dropped silently, not even emptiness
    else:
        assert documents


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(
        st.one_of(
            st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=8), max_size=4).map(
                json.dumps
            ),
            st.text(alphabet='{}[]":, ab\\', max_size=12),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_ndjson_gives_one_unit_per_non_blank_line(tmp_path: Path, lines: list[str]) -> None:
    target = tmp_path / "d.ndjson"
    target.write_text("\n".join(line.replace("\n", " ") for line in lines), encoding="utf-8")
    documents = load(target)
    expected = [i + 1 for i, line in enumerate(lines) if line.replace("\n", " ").strip()]
    if not expected:
        assert kinds(documents) == ["CA001"]  # an input with no content is reported
        return
    assert [d.source.line for d in documents] == expected
    assert [d.source.index for d in documents] == list(range(len(expected)))
