"""normalize_document: one unit per capsule node, findings for what is not a capsule."""

from __future__ import annotations

from pathlib import Path

import pytest

from capsule_audit.loading.documents import JsonDocument, RejectedDocument, TextDocument
from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord, RecordKind, SourceRef
from capsule_audit.normalize import normalize_document
from capsule_audit.rules.input import unreadable_input
from capsule_audit.rules.stamp import input_finding
from tests.conftest import FIXTURES, SEEDS
from tests.normalize.forms import CONFIG, read_document, units

BAD = FIXTURES / "jsonld" / "bad"
# fixture file -> (expected rule, expected field); the file name states the expected code too
EXPECTED_BAD = {
    "CA002-invalid-jsonld.jsonld": ("CA002", None),
    "CA002-no-id.jsonld": ("CA002", None),
    "CA002-not-an-object.json": ("CA002", None),
    "CA002-person.jsonld": ("CA002", None),
    "CA003-relative-context.jsonld": ("CA003", None),
    "CA003-remote-context.jsonld": ("CA003", None),
    "CA003-remote-in-array.jsonld": ("CA003", None),
    "CA004-date-unparseable.jsonld": ("CA004", "dateCreated"),
    "CA004-name-number.jsonld": ("CA004", "name"),
    "CA004-trust-level-250.jsonld": ("CA004", "trust_level"),
}


def test_seeds_give_four_capsules_and_one_digest() -> None:
    out = [u for path in sorted(SEEDS.iterdir()) for u in normalize_document(read_document(path), CONFIG)]
    assert all(isinstance(u, CapsuleRecord) for u in out)
    kinds = [u.kind for u in out if isinstance(u, CapsuleRecord)]
    assert kinds.count(RecordKind.CAPSULE) == 4
    assert kinds.count(RecordKind.DIGEST) == 1


def test_every_bad_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED_BAD)


@pytest.mark.parametrize("name", sorted(EXPECTED_BAD))
def test_bad_fixture_gives_its_finding(name: str) -> None:
    out = list(normalize_document(read_document(BAD / name), CONFIG))
    assert len(out) == 1
    finding = out[0]
    if EXPECTED_BAD[name][0] == "CA004":  # an invalid field: the capsule is audited without it
        assert isinstance(finding, CapsuleRecord)
        (finding,) = finding.input_findings
    assert isinstance(finding, Finding)
    assert (finding.rule, finding.location.field) == EXPECTED_BAD[name]
    assert finding.location.file == str(BAD / name)
    assert finding.fingerprint


def test_remote_context_finding_names_the_url() -> None:
    (finding,) = list(normalize_document(read_document(BAD / "CA003-remote-context.jsonld"), CONFIG))
    assert isinstance(finding, Finding)
    assert finding.key == "https://example.org/contexts/capsule.jsonld"
    assert "https://example.org/contexts/capsule.jsonld" in finding.message


def test_rejected_document_yields_its_finding() -> None:
    source = SourceRef(path="broken.json", line=3)
    finding = input_finding(unreadable_input, source, "invalid JSON", identity="x")
    assert list(normalize_document(RejectedDocument(source, finding), CONFIG)) == [finding]


def _capsule(n: int, **extra: object) -> dict[str, object]:
    return {
        "@type": "CreativeWork",
        "@id": f"https://forgecascade.org/public/capsules/{n:08d}-0000-4000-8000-000000000000",
        "name": f"capsule {n}",
        **extra,
    }


def test_graph_wrapper_yields_one_record_per_capsule_in_order_with_pointers() -> None:
    graph = [
        _capsule(2),
        _capsule(1, additionalProperty=[{"@type": "PropertyValue", "name": "trust_level", "value": 250}]),
        _capsule(0),
    ]
    out = units({"@context": "https://schema.org", "@graph": graph})
    assert [u.source.pointer if isinstance(u, CapsuleRecord) else u.location.pointer for u in out] == [
        "/@graph/0",
        "/@graph/1",
        "/@graph/2",
    ]
    assert [u.id for u in out if isinstance(u, CapsuleRecord)] == [g["@id"] for g in graph]
    assert isinstance(out[1], CapsuleRecord) and out[1].properties.trust_level is None
    (finding,) = out[1].input_findings  # the invalid trust_level, reported where it is written
    assert (finding.rule, finding.capsules) == ("CA004", (str(graph[1]["@id"]),))
    assert finding.location.pointer == "/@graph/1/additionalProperty"


def test_graph_wrapper_pointers_agree_between_paths() -> None:
    # An unknown key sends the wrapper through pyld; pointers must not change with the path.
    graph = [_capsule(2), _capsule(1, author="someone")]
    out = units({"@context": "https://schema.org", "@graph": graph})
    assert [u.source.pointer for u in out if isinstance(u, CapsuleRecord)] == ["/@graph/0", "/@graph/1"]


def test_graph_without_creative_work_is_one_finding() -> None:
    out = units(
        {"@context": "https://schema.org", "@graph": [{"@type": "Person", "name": "Ada"}, {"@type": "Thing"}]}
    )
    assert len(out) == 1 and isinstance(out[0], Finding) and out[0].rule == "CA002"


def test_cited_creative_work_is_a_part_not_a_capsule() -> None:
    cited = {"@type": "ScholarlyArticle", "@id": "https://arxiv.org/abs/2604.01234", "name": "A paper"}
    out = units({"@context": "https://schema.org", **_capsule(0, citation=[cited])})
    assert len(out) == 1 and isinstance(out[0], CapsuleRecord)
    assert out[0].citation[0].id == "https://arxiv.org/abs/2604.01234"
    assert out[0].citation[0].type == "ScholarlyArticle"


@pytest.mark.parametrize("value", [42, "text", None, True, [[1, 2]]])
def test_non_objects_are_rejected_not_raised(value: object) -> None:
    out = units(value)
    assert len(out) == 1 and isinstance(out[0], Finding) and out[0].rule == "CA002"


def test_subtype_is_accepted_and_named() -> None:
    out = units({"@context": "https://schema.org", **_capsule(0), "@type": ["Article", "ScholarlyArticle"]})
    assert isinstance(out[0], CapsuleRecord) and out[0].type == "ScholarlyArticle"


def test_text_document_becomes_digest(tmp_path: Path) -> None:
    (unit,) = normalize_document(
        TextDocument(SourceRef(path="p.txt"), "Title\n\n" + "Body text. " * 30), CONFIG
    )
    assert isinstance(unit, CapsuleRecord) and unit.kind is RecordKind.DIGEST


def test_output_is_deterministic() -> None:
    doc = read_document(SEEDS / "000_ea5c0029181cb232.txt")
    assert isinstance(doc, JsonDocument)
    assert list(normalize_document(doc, CONFIG)) == list(normalize_document(doc, CONFIG))
