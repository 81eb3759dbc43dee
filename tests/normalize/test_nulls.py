"""A JSON null is an absent value (JSON-LD drops it): a document with one equals it without.

And an invalid value is as good as absent too, once reported: the capsule is still audited.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from capsule_audit import api
from capsule_audit.config import AuditConfig
from capsule_audit.models.records import CapsuleRecord
from capsule_audit.models.report import Report
from tests.normalize.forms import pyld_units, units

ID = "https://forgecascade.org/public/capsules/223f9579-7bd4-418a-bf62-f72791e369f5"
CAPSULE: dict[str, Any] = {
    "@context": "https://schema.org",
    "@type": "CreativeWork",
    "@id": ID,
    "url": ID,  # the capsule links to itself: it is still the capsule, not a part
    "name": "A capsule",
    "keywords": ["k"],
    "dateCreated": "2026-03-01T00:00:00Z",
}
NULLABLE = ["text", "keywords", "dateCreated", "dateModified", "name", "about", "citation", "identifier"]


def _without(key: str) -> dict[str, Any]:
    return {k: v for k, v in CAPSULE.items() if k != key}


@pytest.mark.parametrize("key", NULLABLE)
@pytest.mark.parametrize("with_text", [False, True])
def test_a_null_field_gives_what_the_absent_field_gives(key: str, with_text: bool) -> None:
    base = {**_without(key), **({"text": "We found it."} if with_text and key != "text" else {})}
    absent = units(base)
    (record,) = absent
    assert isinstance(record, CapsuleRecord) and not record.input_findings
    assert units({**base, key: None}) == absent
    assert pyld_units({**base, key: None}) == pyld_units(base) == absent


def test_a_capsule_linking_to_itself_is_a_capsule_on_the_pyld_path() -> None:
    (record,) = pyld_units(_without("text"))
    assert isinstance(record, CapsuleRecord)
    assert (record.id, record.url) == (ID, ID)


def _audit(tmp_path: Path, value: dict[str, Any], **config: Any) -> Report:
    (tmp_path / "capsule.json").write_text(json.dumps(value))
    return api.audit([str(tmp_path)], AuditConfig(now=datetime(2026, 6, 1, tzinfo=UTC), **config))


def test_one_bad_field_is_reported_and_the_rest_of_the_capsule_audited(tmp_path: Path) -> None:
    text = "We found that the model improves accuracy by 5 points."
    report = _audit(tmp_path, {**CAPSULE, "dateCreated": "2026-13-45", "text": text})
    summary = report.summary
    assert (summary.documents, summary.capsules, summary.rejected, summary.claims) == (1, 1, 0, 1)
    (bad,) = [f for f in report.findings if f.rule == "CA004"]
    assert (bad.capsules, bad.location.field, bad.location.pointer) == ((ID,), "dateCreated", "/dateCreated")
    assert any(f.rule != "CA004" and f.capsules == (ID,) for f in report.findings)  # the rules still ran
    ignored = _audit(tmp_path, {**CAPSULE, "dateCreated": "2026-13-45", "text": text}, ignore=("CA004",))
    assert not [f for f in ignored.findings if f.rule == "CA004"]
    overridden = _audit(tmp_path, {**CAPSULE, "dateCreated": "2026-13-45"}, severity={"CA004": "warning"})
    assert [f.severity for f in overridden.findings if f.rule == "CA004"] == ["warning"]
