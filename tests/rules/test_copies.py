"""CA103-CA104: near-duplicate texts, duplicate titles."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from capsule_audit.rules.base import GroupKind, RuleContext
from capsule_audit.rules.copies import duplicate_title, near_duplicate_capsule
from tests.rules.capsules import NOW, capsule_id, ctx, groups_of, record, run_group

TEXT = " ".join(f"Finding {i}: method M{i} improves benchmark B{i} by {i} percent." for i in range(40))


def test_ca103_near_identical_texts_under_two_ids() -> None:
    records = [record(1, text=TEXT), record(2, text=TEXT.replace("Finding 3:", "Finding three:"))]
    found = run_group(near_duplicate_capsule, records, GroupKind.TEXT_BLOCK)
    assert {v.capsules for v in found} == {(capsule_id(1), capsule_id(2))}


def test_ca103_different_texts_and_same_id_pass() -> None:
    other = " ".join(f"Unrelated {i} sentence about topic T{i}." for i in range(40))
    assert (
        run_group(near_duplicate_capsule, [record(1, text=TEXT), record(2, text=other)], GroupKind.TEXT_BLOCK)
        == []
    )
    assert (
        run_group(near_duplicate_capsule, [record(1, text=TEXT), record(1, text=TEXT)], GroupKind.TEXT_BLOCK)
        == []
    )


def test_ca103_threshold_is_configurable() -> None:
    records = [record(1, text=TEXT), record(2, text=TEXT.replace("Finding 3:", "Finding three:"))]
    strict = {"CA103.threshold": 99.9}
    assert run_group(near_duplicate_capsule, records, GroupKind.TEXT_BLOCK, **strict) == []


def test_ca103_large_block_compares_neighbours_only() -> None:
    records = [record(n, text=TEXT + f" tail {n}") for n in range(1, 8)]
    capped = run_group(
        near_duplicate_capsule, records, GroupKind.TEXT_BLOCK, **{"CA103.max_block": 3, "CA103.window": 1}
    )
    full = run_group(near_duplicate_capsule, records, GroupKind.TEXT_BLOCK)
    pairs = {v.capsules for v in full}
    assert len(pairs) == 21  # all 7 * 6 / 2 pairs
    assert 0 < len({v.capsules for v in capped}) < len(pairs)


@settings(max_examples=40, deadline=None)
@given(
    tails=st.lists(
        st.sampled_from(["", " tail a", " tail b", " Finding 3 again.", " and more"]), min_size=2, max_size=9
    ),
    batch=st.sets(st.integers(1, 9), max_size=4),
    max_block=st.sampled_from([3, 64]),
)
def test_ca103_against_a_corpus_finds_the_pairs_holding_a_batch_capsule(
    tails: list[str], batch: set[int], max_block: int
) -> None:
    """With `only` (a batch against a corpus), the pairs of corpus capsules are skipped, and the
    rest found as without it, in both the all-pairs and the neighbours form."""
    records = [record(n, text=TEXT + tail) for n, tail in enumerate(tails, start=1)]
    only = frozenset(capsule_id(n) for n in batch)
    options = {"CA103.max_block": max_block, "CA103.window": 2}
    groups = groups_of(records, GroupKind.TEXT_BLOCK)
    every = [v for g in groups for v in near_duplicate_capsule.check(g, ctx(**options))]  # type: ignore[misc]
    narrowed = [
        v
        for g in groups
        for v in near_duplicate_capsule.check(g, RuleContext(now=NOW, thresholds=options, only=only))  # type: ignore[misc]
    ]
    assert narrowed == [v for v in every if only & set(v.capsules)]


def test_ca104_same_title_up_to_case_and_punctuation() -> None:
    records = [
        record(1, name="Sparse Activation Replay: results"),
        record(2, name="sparse activation replay — Results"),
    ]
    (v,) = run_group(duplicate_title, records, GroupKind.TITLE)
    assert v.capsules == (capsule_id(1), capsule_id(2))


def test_ca104_titles_equal_but_for_a_date_name_the_differing_dates() -> None:
    snapshot = "As of {}, several notable advancements in large language model (LLM) training"
    dated = [
        record(1, name=snapshot.format("April 12, 2026")),
        record(2, name=snapshot.format("April 17, 2026")),
        record(3, name=snapshot.format("April 12, 2026")),
    ]
    (v,) = run_group(duplicate_title, dated, GroupKind.TITLE)
    assert v.capsules == (capsule_id(1), capsule_id(2), capsule_id(3))
    assert "'April 12, 2026'" in v.message and "'April 17, 2026'" in v.message


def test_ca104_numbers_are_masked_too_but_words_are_not() -> None:
    versions = [
        record(1, name="Results for release 3.5 (40% faster)"),
        record(2, name="Results for release 4.0 (25% faster)"),
    ]
    (v,) = run_group(duplicate_title, versions, GroupKind.TITLE)
    assert v.capsules == (capsule_id(1), capsule_id(2)) and "'3.5'" in v.message and "'4.0'" in v.message
    other_words = [
        record(1, name="As of April 12, 2026, several notable advancements in LLM training"),
        record(2, name="As of April 14, 2026, several new LLM training techniques have been"),
    ]
    assert run_group(duplicate_title, other_words, GroupKind.TITLE) == []


def test_ca104_a_repeated_id_passes() -> None:
    assert run_group(duplicate_title, [record(1), record(1, text="x")], GroupKind.TITLE) == []
