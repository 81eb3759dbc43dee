"""The pyld path offline: remote contexts refused without a socket, strange input as errors."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from capsule_audit.jsonld.expand import (
    JsonLdFailure,
    RemoteContextError,
    expand,
    flatten,
    remote_contexts,
    to_nquads,
)
from capsule_audit.loading.documents import JsonDocument, TextDocument
from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord, SourceRef
from capsule_audit.normalize import normalize_document
from tests.conftest import require_reference
from tests.normalize.forms import CONFIG

REMOTE = {
    "@context": ["https://schema.org", {"ex": "http://example.org/"}, "https://w3id.org/some/context.jsonld"],
    "@type": "CreativeWork",
    "@id": "https://forgecascade.org/public/capsules/1",
}


def test_remote_context_never_opens_a_socket(network_guard: list[tuple[str, str]]) -> None:
    for operation in (flatten, expand, to_nquads):
        with pytest.raises(RemoteContextError) as caught:
            operation(REMOTE)
        assert caught.value.url == "https://w3id.org/some/context.jsonld"
    (finding,) = normalize_document(JsonDocument(SourceRef(path="r.json"), REMOTE), CONFIG)
    assert isinstance(finding, Finding) and finding.rule == "CA003"
    assert network_guard == []


def test_remote_context_in_a_scoped_term_is_found() -> None:
    doc = {"@context": {"author": {"@id": "http://schema.org/author", "@context": "https://example.org/p"}}}
    assert remote_contexts(doc) == ["https://example.org/p"]


def test_remote_import_reached_by_pyld_is_refused() -> None:
    # Not visible to the pre-scan (built at run time), so the loader must refuse it.
    with pytest.raises(RemoteContextError):
        to_nquads({"@context": {"@import": "https://example.org/imported"}, "@id": "x"})


@pytest.mark.parametrize(
    "document",
    [{"@context": {"@vocab": 5}}, {"@id": 5}, {"@context": {"a": {"@reverse": "@id"}}, "a": 1}, [1, [2]]],
)
def test_invalid_json_ld_is_a_failure_not_a_crash(document: object) -> None:
    with contextlib.suppress(JsonLdFailure):  # any other exception fails the test
        flatten(document)  # type: ignore[arg-type]


def _corpus() -> list[Path]:
    root = require_reference("jsonld-w3c-tests")
    return sorted(p for p in root.rglob("*-in.json*") if p.is_file())


def test_w3c_corpus_ends_as_records_or_findings(network_guard: list[tuple[str, str]]) -> None:
    paths = _corpus()
    assert len(paths) == 1169
    rules: set[str] = set()
    for path in paths:
        raw = path.read_bytes()
        source = SourceRef(path=str(path))
        try:
            doc: JsonDocument | TextDocument = JsonDocument(source, json.loads(raw))
        except ValueError:
            doc = TextDocument(source, raw.decode("utf-8", "replace"))
        out = list(normalize_document(doc, CONFIG))
        assert out, path
        for unit in out:
            assert isinstance(unit, CapsuleRecord | Finding)
            if isinstance(unit, Finding):
                rules.add(unit.rule)
    # remote-doc and context tests reference remote contexts; the rest hold no capsule
    assert rules == {"CA002", "CA003"}
    assert network_guard == []
