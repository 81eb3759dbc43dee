"""`cluster_methods` compares only refs sharing a key, and clusters exactly as comparing all pairs.

The oracle below is the all-pairs clustering `cluster_methods` replaced (test-only): every distinct
named pair compared, each name-less ref against every named one.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Sequence
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capsule_audit.identifiers import method_index
from capsule_audit.identifiers.methods import _canonical, cluster_methods, same_method
from capsule_audit.models.claims import MethodRef
from tests.work import LINEAR, growth


def all_pairs_clusters(refs: Sequence[MethodRef]) -> tuple[int, ...]:
    distinct = list(dict.fromkeys(_canonical(ref) for ref in refs))
    parent = list(range(len(distinct)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        parent[max(ri, rj)] = min(ri, rj)

    named = [i for i, ref in enumerate(distinct) if ref.name]
    for pos, i in enumerate(named):
        for j in named[:pos]:
            if same_method(distinct[i], distinct[j]):
                union(i, j)

    def named_matches(i: int) -> list[int]:
        return [j for j in named if same_method(distinct[i], distinct[j])]

    bare = [i for i, ref in enumerate(distinct) if not ref.name]
    for pos, i in enumerate(bare):
        matches = {find(j) for j in named_matches(i)}
        if len(matches) == 1:
            union(i, matches.pop())
        else:
            for j in bare[:pos]:
                if same_method(distinct[i], distinct[j]) and len(named_matches(j)) != 1:
                    union(i, j)
    roots: dict[int, int] = {}
    index = {ref: roots.setdefault(find(i), len(roots)) for i, ref in enumerate(distinct)}
    return tuple(index[_canonical(ref)] for ref in refs)


# Few letters and words, so that names collide, nearly collide, contain each other and spell
# each other's acronyms.
WORDS = ["low", "rank", "adaptation", "Recursive", "gradient", "optimization", "of", "the", "Number1", "Number12",
         "Numbr12", "pre-training", "graph", "grade", "rgo", "LoRA", "a"]  # fmt: skip
ACRONYMS = ["RGO", "rgo", "R.G.O.", "LoRA", "LORA", "LRA", "GO", "N1", "T5", "-", "", "Rgo", "GPT-3", "OG"]
names = st.one_of(
    st.none(),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join),
    st.text(alphabet="abgmnor12 -", max_size=14),
)
refs = st.builds(MethodRef, name=names, acronym=st.one_of(st.none(), st.sampled_from(ACRONYMS)))

# Long words most names share, beside short words of two letters: the shared text makes names
# long enough to allow several edits, and the short words near-miss each other.
COMMON = ["Learning", "Reinforcement", "deep", "Optimization"]
shared_names = st.lists(
    st.one_of(st.sampled_from(COMMON), st.text(alphabet="ab", min_size=1, max_size=7)), min_size=1, max_size=5
).map(" ".join)
shared_refs = st.builds(
    MethodRef, name=shared_names, acronym=st.one_of(st.none(), st.sampled_from(["DL", "RL", "AB"]))
)


def _both_ways(batch: list[MethodRef]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The clusters of a batch by pairs (if it is small) and through the index (always)."""
    paired = cluster_methods(batch)
    with mock.patch.object(method_index, "SMALL_BATCH", 0):
        return paired, cluster_methods(batch)


@settings(max_examples=400, deadline=None)
@given(st.lists(refs, max_size=24))
def test_clusters_equal_all_pairs_clustering(batch: list[MethodRef]) -> None:
    expected = all_pairs_clusters(batch)
    assert _both_ways(batch) == (expected, expected)


@settings(max_examples=300, deadline=None)
@given(st.lists(shared_refs, max_size=30))
def test_names_sharing_long_words_cluster_as_all_pairs(batch: list[MethodRef]) -> None:
    expected = all_pairs_clusters(batch)
    assert _both_ways(batch) == (expected, expected)


def test_a_small_batch_is_compared_pairwise_without_indexing_its_names() -> None:
    batch = [
        MethodRef(name="Recursive Gradient Optimization"),
        MethodRef(name="recursive gradient optimisation"),
    ]
    with mock.patch.object(method_index, "choose_pieces", side_effect=AssertionError("indexed")):
        assert cluster_methods(batch) == (0, 0)
        with (
            mock.patch.object(method_index, "SMALL_BATCH", 0),
            pytest.raises(AssertionError, match="indexed"),
        ):
            cluster_methods(batch)


def _edited(word: str, edits: int, rng: random.Random) -> str:
    """`word` with `edits` single-character insertions or deletions at random places."""
    for _ in range(edits):
        at = rng.randrange(len(word) + 1)
        word = (
            word[:at] + rng.choice("xyz") + word[at:]
            if rng.random() < 0.5 or len(word) < 2
            else word[: at - 1] + word[at:]
        )
    return word


def test_names_at_the_edit_bound_cluster_as_all_pairs() -> None:
    # Each name next to copies edited as far as the ratio allows (and one edit further), the
    # edits anywhere: in the shared word or the distinctive ones, so any piece may be broken.
    rng = random.Random(14)
    batch: list[MethodRef] = []
    for k in range(60):
        name = f"{_word(3 * k)} {_word(3 * k + 1)} Learning"
        batch.append(MethodRef(name=name))
        for edits in (len(name) * 6 // 25, len(name) * 6 // 25 + 1, len(name) // 4):
            batch.append(MethodRef(name=_edited(name, edits, rng)))
    clusters = cluster_methods(batch)
    assert clusters == all_pairs_clusters(batch)
    assert len(set(clusters)) < len(batch) * 3 // 4  # many edited copies joined their name


def test_near_identical_names_cluster_as_all_pairs() -> None:
    # 'Method Number1' .. : each agrees with its near neighbours only; all pairs chain them.
    batch = [MethodRef(name=f"Method Number{i}", acronym=f"MNA{i}") for i in range(300)]
    batch += [MethodRef(acronym=f"MNA{i}") for i in range(0, 300, 7)]
    batch += [MethodRef(name=f"Other Thing{i * 7919 % 1000}") for i in range(50)]
    assert cluster_methods(batch) == all_pairs_clusters(batch)


def _near_identical(n: int) -> list[MethodRef]:
    return [MethodRef(name=f"Method Number{i}", acronym=f"MNA{i}") for i in range(n)]


def _word(k: int) -> str:
    """A made-up word of 4 to 9 random letters, the same for the same `k`."""
    rng = random.Random(k)
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9))).capitalize()


def _unrelated(n: int) -> list[MethodRef]:
    # Distinct made-up names sharing their last word, each with its own acronym, and bare
    # acronyms, some of them matching a named ref.
    named = [
        MethodRef(name=f"{_word(i)} {_word(n + i)} {_word(2 * n + i)} Learning", acronym=f"Q{i}X")
        for i in range(n)
    ]
    return named + [MethodRef(acronym=f"Q{i}X") for i in range(0, 2 * n, 3)]


def _one_group(n: int) -> list[MethodRef]:
    # One blocking key for all: 'Deep Learning <three made-up words run together> (DLi)'.
    return [
        MethodRef(name=f"Deep Learning {_word(i)}{_word(n + i)}{_word(2 * n + i)}", acronym=f"DL{i}")
        for i in range(n)
    ]


def test_clustering_work_grows_linearly_on_near_identical_names() -> None:
    # The input of issue 14 (10,000 'Method NumberN (MNAN)' bullets took 48 s): the names chain
    # into one cluster, and a candidate already in the probing name's cluster is never compared.
    def make(size: int) -> Callable[[], Any]:
        batch = _near_identical(size)
        return lambda: cluster_methods(batch)

    assert growth(make, 150) < LINEAR


def test_clustering_work_grows_linearly_on_names_sharing_a_long_word() -> None:
    # Issue 14's remaining input: 10,000 '<w> <w> <w> Learning' names compared 142.6M pairs.
    # Each is indexed under rare pieces of its own words, never under the shared one.
    for build in (_unrelated, _one_group):

        def make(size: int, build: Callable[[int], list[MethodRef]] = build) -> Callable[[], Any]:
            batch = build(size)
            return lambda: cluster_methods(batch)

        assert growth(make, 150) < LINEAR, build.__name__


def test_the_work_cases_cluster_as_all_pairs() -> None:
    for build in (_near_identical, _unrelated, _one_group):
        batch = build(200)
        assert cluster_methods(batch) == all_pairs_clusters(batch)
    assert len(set(cluster_methods(_unrelated(200)))) > 200  # unrelated: nothing joined
    assert len(set(cluster_methods(_one_group(200)))) == 200
