"""CA101-CA104: duplicate ids, id mismatches, near-duplicate texts, duplicate titles."""

from __future__ import annotations

from capsule_audit.models.findings import Severity
from capsule_audit.models.records import CapsuleRecord
from capsule_audit.rules.base import Group, GroupKind, Violation
from capsule_audit.rules.identity import (
    duplicate_capsule_id,
    duplicate_title,
    identifier_mismatch,
    near_duplicate_capsule,
)
from capsule_audit.rules.index import GroupIndex, members_for
from tests.rules.capsules import FORGE, capsule_id, ctx, record, subject


def _groups(records: list[CapsuleRecord], kind: GroupKind) -> list[Group]:
    index = GroupIndex()
    for rec in records:
        index.extend(members_for(subject(rec), frozenset({kind})))
    return list(index.groups([kind]))


def _run_group(
    rule_: object, records: list[CapsuleRecord], kind: GroupKind, **thresholds: float
) -> list[Violation]:
    check = rule_.check  # type: ignore[attr-defined]
    return [v for g in _groups(records, kind) for v in check(g, ctx(**thresholds))]


def test_ca101_same_id_different_content_is_an_error() -> None:
    (v,) = _run_group(
        duplicate_capsule_id, [record(1), record(1, text="changed", line=7)], GroupKind.CAPSULE_ID
    )
    assert v.key == capsule_id(1) and v.severity is None  # the rule's default: error


def test_ca101_identical_copies_are_a_warning() -> None:
    (v,) = _run_group(duplicate_capsule_id, [record(1), record(1, path="other.json")], GroupKind.CAPSULE_ID)
    assert v.severity is Severity.WARNING


def test_ca101_distinct_ids_pass() -> None:
    assert _run_group(duplicate_capsule_id, [record(1), record(2)], GroupKind.CAPSULE_ID) == []


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


TEXT = " ".join(f"Finding {i}: method M{i} improves benchmark B{i} by {i} percent." for i in range(40))


def test_ca103_near_identical_texts_under_two_ids() -> None:
    records = [record(1, text=TEXT), record(2, text=TEXT.replace("Finding 3:", "Finding three:"))]
    found = _run_group(near_duplicate_capsule, records, GroupKind.TEXT_BLOCK)
    assert {v.capsules for v in found} == {(capsule_id(1), capsule_id(2))}


def test_ca103_different_texts_and_same_id_pass() -> None:
    other = " ".join(f"Unrelated {i} sentence about topic T{i}." for i in range(40))
    assert (
        _run_group(
            near_duplicate_capsule, [record(1, text=TEXT), record(2, text=other)], GroupKind.TEXT_BLOCK
        )
        == []
    )
    assert (
        _run_group(near_duplicate_capsule, [record(1, text=TEXT), record(1, text=TEXT)], GroupKind.TEXT_BLOCK)
        == []
    )


def test_ca103_threshold_is_configurable() -> None:
    records = [record(1, text=TEXT), record(2, text=TEXT.replace("Finding 3:", "Finding three:"))]
    strict = {"CA103.threshold": 99.9}
    assert _run_group(near_duplicate_capsule, records, GroupKind.TEXT_BLOCK, **strict) == []


def test_ca103_large_block_compares_neighbours_only() -> None:
    records = [record(n, text=TEXT + f" tail {n}") for n in range(1, 8)]
    capped = _run_group(
        near_duplicate_capsule, records, GroupKind.TEXT_BLOCK, **{"CA103.max_block": 3, "CA103.window": 1}
    )
    full = _run_group(near_duplicate_capsule, records, GroupKind.TEXT_BLOCK)
    pairs = {v.capsules for v in full}
    assert len(pairs) == 21  # all 7 * 6 / 2 pairs
    assert 0 < len({v.capsules for v in capped}) < len(pairs)


def test_ca104_same_title_up_to_case_and_punctuation() -> None:
    records = [
        record(1, name="Sparse Activation Replay: results"),
        record(2, name="sparse activation replay — Results"),
    ]
    (v,) = _run_group(duplicate_title, records, GroupKind.TITLE)
    assert v.capsules == (capsule_id(1), capsule_id(2))


def test_ca104_titles_equal_but_for_a_date_name_the_differing_dates() -> None:
    snapshot = "As of {}, several notable advancements in large language model (LLM) training"
    dated = [
        record(1, name=snapshot.format("April 12, 2026")),
        record(2, name=snapshot.format("April 17, 2026")),
        record(3, name=snapshot.format("April 12, 2026")),
    ]
    (v,) = _run_group(duplicate_title, dated, GroupKind.TITLE)
    assert v.capsules == (capsule_id(1), capsule_id(2), capsule_id(3))
    assert "'April 12, 2026'" in v.message and "'April 17, 2026'" in v.message


def test_ca104_numbers_are_masked_too_but_words_are_not() -> None:
    versions = [
        record(1, name="Results for release 3.5 (40% faster)"),
        record(2, name="Results for release 4.0 (25% faster)"),
    ]
    (v,) = _run_group(duplicate_title, versions, GroupKind.TITLE)
    assert v.capsules == (capsule_id(1), capsule_id(2)) and "'3.5'" in v.message and "'4.0'" in v.message
    other_words = [
        record(1, name="As of April 12, 2026, several notable advancements in LLM training"),
        record(2, name="As of April 14, 2026, several new LLM training techniques have been"),
    ]
    assert _run_group(duplicate_title, other_words, GroupKind.TITLE) == []


def test_ca104_a_repeated_id_passes() -> None:
    assert _run_group(duplicate_title, [record(1), record(1, text="x")], GroupKind.TITLE) == []
