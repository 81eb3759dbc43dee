"""Hand-made equivalent forms in fixtures/jsonld give identical records."""

from __future__ import annotations

from pathlib import Path

import pytest

from capsule_audit.models.records import CapsuleRecord
from capsule_audit.normalize import normalize_document
from tests.conftest import FIXTURES
from tests.normalize.forms import CONFIG, read_document, without_source

GROUPS = [FIXTURES / "jsonld" / "equivalent", FIXTURES / "jsonld" / "equivalent-ids"]


@pytest.mark.parametrize("group", GROUPS, ids=lambda p: p.name)
def test_forms_in_group_give_identical_records(group: Path) -> None:
    files = sorted(group.iterdir())
    assert len(files) >= 2
    results = {}
    for path in files:
        out = list(normalize_document(read_document(path), CONFIG))
        assert len(out) == 1 and isinstance(out[0], CapsuleRecord), (path, out)
        results[path.name] = without_source(out[0])
    first = next(iter(results.values()))
    assert all(result == first for result in results.values()), sorted(results)


def test_linked_parts_keep_their_ids() -> None:
    (record,) = normalize_document(
        read_document(FIXTURES / "jsonld" / "equivalent-ids" / "flattened.jsonld"), CONFIG
    )
    assert isinstance(record, CapsuleRecord)
    assert record.is_part_of is not None and record.is_part_of.id == "https://forgecascade.org/#graph"
    assert record.about[0].id is None  # a blank node has no IRI
    assert record.source.pointer == "/@graph/2"
