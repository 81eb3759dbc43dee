"""Packed samples, the chunked sort and the neighbour window: the same as the in-memory originals."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from capsule_audit.models.records import SourceRef
from capsule_audit.rules.base import Member
from capsule_audit.rules.samples import neighbour_pairs, pack_sample, sample_of, sorted_by_sample

SOURCE = SourceRef(path="dump.jsonl", line=1, index=0)


def _members(texts: list[str]) -> list[Member]:
    # capsule ids repeat on purpose (a few): ties on (sample, capsule) must keep input order
    return [Member(f"c{n % 7}", SOURCE, packed_sample=pack_sample(t)) for n, t in enumerate(texts)]


def test_a_packed_sample_reads_back_unchanged_and_a_member_without_one_reads_empty() -> None:
    text = "as of 2026 04 01 the recursive gradient optimization (rgo) method – 18% faster ✓"
    assert sample_of(Member("c", SOURCE, packed_sample=pack_sample(text))) == text
    assert sample_of(Member("c", SOURCE)) == ""
    assert len(pack_sample(text * 12)) < len((text * 12).encode()) / 2


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.sampled_from(["", "a", "ab", "b", "a b", "ba", "é", "abc"]), max_size=60))
def test_the_chunked_sort_orders_as_one_stable_sort_does(texts: list[str]) -> None:
    members = _members(texts)
    expected = sorted(members, key=lambda m: (sample_of(m), m.capsule))
    got = list(sorted_by_sample(members, chunk=4))  # many runs, merged
    assert list(sorted_by_sample(members)) == got  # one run
    assert [m for _, m in got] == expected
    assert all(a is b for (_, a), b in zip(got, expected, strict=True))
    assert [s for s, _ in got] == [sample_of(m) for m in expected]


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 30), window=st.integers(0, 10))
def test_the_window_yields_the_pairs_of_a_nested_loop_in_its_order(n: int, window: int) -> None:
    items = [(str(i), Member(f"c{i}", SOURCE)) for i in range(n)]
    expected = [(a, b) for i, a in enumerate(items) for b in items[i + 1 : i + 1 + window]]
    assert list(neighbour_pairs(iter(items), window)) == expected
