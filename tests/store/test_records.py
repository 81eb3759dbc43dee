"""Kept records come back from the store, in input order, as the user sees them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from capsule_audit import api
from capsule_audit.config import AuditConfig
from capsule_audit.models.records import CapsuleRecord
from capsule_audit.normalize import iter_records
from capsule_audit.store import records
from tests.conftest import FIXTURES

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def test_kept_records_are_those_loaded_in_input_order_across_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    config = AuditConfig(now=NOW, jobs=1)
    inputs = [str(FIXTURES / "jsonld")]
    loaded = [item for item in iter_records(inputs, config) if isinstance(item, CapsuleRecord)]
    monkeypatch.setattr(records, "BUFFER_RECORDS", 3)  # many batches into the store
    with api.audit_stream(inputs, config, keep_records=True) as result:
        kept = list(result.records)
        assert list(result.records) == kept  # re-readable
        assert len(result.records_kept) == len(loaded) > 3
    assert [r.model_dump(mode="json") for r in kept] == [r.model_dump(mode="json") for r in loaded]
    # What the report shows; the CA004 findings of dropped fields were filed when processed.
    assert kept == [r.model_copy(update={"input_findings": ()}) for r in loaded]


def test_no_record_is_kept_unless_asked_for() -> None:
    with api.audit_stream([str(FIXTURES / "jsonld")], AuditConfig(now=NOW, jobs=1)) as result:
        assert list(result.records) == [] and len(result.records_kept) == 0
