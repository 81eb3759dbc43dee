"""`cluster_methods` compares only refs sharing a key, and clusters exactly as comparing all pairs.

The oracle below is the all-pairs clustering `cluster_methods` replaced (test-only): every distinct
named pair compared, each name-less ref against every named one.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

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


@settings(max_examples=400, deadline=None)
@given(st.lists(refs, max_size=24))
def test_clusters_equal_all_pairs_clustering(batch: list[MethodRef]) -> None:
    assert cluster_methods(batch) == all_pairs_clusters(batch)


def test_near_identical_names_cluster_as_all_pairs() -> None:
    # 'Method Number1' .. : each agrees with its near neighbours only; all pairs chain them.
    batch = [MethodRef(name=f"Method Number{i}", acronym=f"MNA{i}") for i in range(300)]
    batch += [MethodRef(acronym=f"MNA{i}") for i in range(0, 300, 7)]
    batch += [MethodRef(name=f"Other Thing{i * 7919 % 1000}") for i in range(50)]
    assert cluster_methods(batch) == all_pairs_clusters(batch)


def _near_identical(n: int) -> list[MethodRef]:
    return [MethodRef(name=f"Method Number{i}", acronym=f"MNA{i}") for i in range(n)]


def _unrelated(n: int) -> list[MethodRef]:
    # Distinct made-up names sharing their last word, each with its own acronym, and bare
    # acronyms, some of them matching a named ref.
    def word(k: int) -> str:
        rng = random.Random(k)
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9))).capitalize()

    named = [
        MethodRef(name=f"{word(i)} {word(n + i)} {word(2 * n + i)} Learning", acronym=f"Q{i}X")
        for i in range(n)
    ]
    return named + [MethodRef(acronym=f"Q{i}X") for i in range(0, 2 * n, 3)]


def test_clustering_work_grows_linearly_on_near_identical_names() -> None:
    # The input of issue 14 (10,000 'Method NumberN (MNAN)' bullets took 48 s): the names chain
    # into one cluster, and a candidate already in the probing name's cluster is never compared.
    def make(size: int) -> Callable[[], Any]:
        batch = _near_identical(size)
        return lambda: cluster_methods(batch)

    assert growth(make, 150) < LINEAR


def test_the_work_cases_cluster_as_all_pairs() -> None:
    for build in (_near_identical, _unrelated):
        batch = build(200)
        assert cluster_methods(batch) == all_pairs_clusters(batch)
    assert len(set(cluster_methods(_unrelated(200)))) > 200  # unrelated: nothing joined
