"""Digest pages: id from content, title heuristic, stated update date."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from capsule_audit.loading.documents import TextDocument
from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord, RecordKind, SourceRef
from capsule_audit.normalize.digest import digest_record, page_title, stated_update
from tests.conftest import SEEDS

BODY = "This paragraph is the body of the page and it goes on for quite a while, as bodies do. " * 3


def _digest(text: str) -> CapsuleRecord | Finding:
    return digest_record(TextDocument(SourceRef(path="page.txt"), text))


def test_seed_digest() -> None:
    text = (SEEDS / "004_f3f65878a75fb2ec.txt").read_text("utf-8")
    record = _digest(text)
    assert isinstance(record, CapsuleRecord)
    assert record.kind is RecordKind.DIGEST
    assert (
        record.name
        == "2026: A Year of Unprecedented Advancements in AI Core Optimization, Curricula, and Fine-Tuning"
    )
    assert record.date_modified == datetime(2026, 3, 9, tzinfo=UTC)
    assert record.text == text
    assert record.id == "urn:capsule-audit:digest:" + hashlib.sha256(text.encode()).hexdigest()[:16]


def test_markdown_heading_wins() -> None:
    assert page_title(f"Site\n\n# The Title\n\n{BODY}") == "The Title"


def test_title_is_heading_above_body() -> None:
    assert page_title(f"Site name\nSection\nReal Title\n\n{BODY}") == "Real Title"


def test_update_date_forms() -> None:
    assert stated_update("Updated 9 March 2026") == datetime(2026, 3, 9, tzinfo=UTC)
    assert stated_update("Last updated: 2026-03-09") == datetime(2026, 3, 9, tzinfo=UTC)
    assert stated_update("Updated Feb 30, 2026") is None
    assert stated_update("no date here") is None


def test_empty_page_is_ca002() -> None:
    finding = _digest("  \n\n ")
    assert isinstance(finding, Finding) and finding.rule == "CA002"
