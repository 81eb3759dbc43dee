"""CA101-CA102: duplicate ids, id mismatches."""

from __future__ import annotations

from capsule_audit.models.findings import Severity
from capsule_audit.rules.base import GroupKind
from capsule_audit.rules.identity import (
    duplicate_capsule_id,
    identifier_mismatch,
)
from tests.rules.capsules import FORGE, capsule_id, ctx, record, run_group, subject


def test_ca101_same_id_different_content_is_an_error() -> None:
    (v,) = run_group(
        duplicate_capsule_id, [record(1), record(1, text="changed", line=7)], GroupKind.CAPSULE_ID
    )
    assert v.key == capsule_id(1) and v.severity is None  # the rule's default: error


def test_ca101_identical_copies_are_a_warning() -> None:
    (v,) = run_group(duplicate_capsule_id, [record(1), record(1, path="other.json")], GroupKind.CAPSULE_ID)
    assert v.severity is Severity.WARNING


def test_ca101_distinct_ids_pass() -> None:
    assert run_group(duplicate_capsule_id, [record(1), record(2)], GroupKind.CAPSULE_ID) == []


def _mismatch(**fields: object) -> set[str]:
    return {v.identity for v in identifier_mismatch.check(subject(record(1, **fields)), ctx())}  # type: ignore[misc]


def test_ca102_flags_the_field_that_disagrees() -> None:
    assert _mismatch(identifier="972170ab-63dc-4762-953a-49e1d1abbe12") == {"identifier"}
    assert _mismatch(url=f"{FORGE}other") == {"url"}


def test_ca102_accepts_uuid_full_iri_http_and_trailing_slash() -> None:
    uuid = capsule_id(1).rsplit("/", 1)[-1]
    assert _mismatch(identifier=uuid, url=capsule_id(1)) == set()
    assert _mismatch(identifier=capsule_id(1), url=capsule_id(1).replace("https", "http") + "/") == set()
    assert _mismatch() == set()
