"""A relative @id is reported where it is written, never resolved against a guessed base."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from capsule_audit import api
from capsule_audit.config import AuditConfig
from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord
from tests.normalize.forms import units

CAPSULE = {
    "@context": "https://schema.org",
    "@type": "CreativeWork",
    "name": "A",
    "text": "We found that the model improves accuracy.",
}
PYLD_BASE = "http://example.org/base/"


def _rejection(found: list[CapsuleRecord | Finding]) -> Finding:
    (unit,) = found
    assert isinstance(unit, Finding), unit
    return unit


def test_an_empty_id_is_ca002_at_its_pointer() -> None:
    finding = _rejection(units({**CAPSULE, "@id": ""}))
    assert (finding.rule, finding.location.pointer, finding.capsules) == ("CA002", "/@id", ())
    assert "relative" in finding.message


def test_a_relative_id_in_a_graph_is_ca002_at_its_pointer() -> None:
    capsule = {key: value for key, value in CAPSULE.items() if key != "@context"}
    graph = {"@context": "https://schema.org", "@graph": [{**capsule, "@id": "capsules/x"}]}
    finding = _rejection(units(graph))
    assert (finding.rule, finding.location.pointer) == ("CA002", "/@graph/0/@id")
    assert "'capsules/x'" in finding.message and PYLD_BASE not in finding.message


def test_an_absolute_base_in_the_context_still_resolves() -> None:
    base = "https://forgecascade.org/public/capsules/"
    (record,) = units({**CAPSULE, "@context": ["https://schema.org", {"@base": base}], "@id": "u1"})
    assert isinstance(record, CapsuleRecord)
    assert record.id == base + "u1"


def test_a_relative_url_stays_as_written() -> None:
    (record,) = units({**CAPSULE, "@id": "https://forgecascade.org/public/capsules/u2", "url": "capsules/u2"})
    assert isinstance(record, CapsuleRecord)
    assert record.url == "capsules/u2"


def test_two_capsules_with_empty_ids_are_two_rejections_not_a_duplicate(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.json").write_text(json.dumps({**CAPSULE, "name": name, "@id": ""}))
    report = api.audit([str(tmp_path)], AuditConfig(now=datetime(2026, 6, 1, tzinfo=UTC)))
    assert (report.summary.documents, report.summary.capsules, report.summary.rejected) == (2, 0, 2)
    assert sorted(f.rule for f in report.findings) == ["CA002", "CA002"]
    assert len({f.fingerprint for f in report.findings}) == 2
