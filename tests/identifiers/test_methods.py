"""Method keys and fuzzy method identity."""

from __future__ import annotations

import pytest

from capsule_audit.identifiers.methods import (
    acronym_matches,
    cluster_methods,
    method_key,
    same_method,
)
from capsule_audit.models.claims import MethodRef

RGO = MethodRef(name="Recursive Gradient Optimization", acronym="RGO")


@pytest.mark.parametrize(
    ("name", "acronym", "key"),
    [
        ("Recursive Gradient Optimization", "RGO", "rgo"),
        (None, "RGO", "rgo"),
        ("Recursive Gradient Optimization", None, "rgo"),
        ("Dynamic Curriculum Pre-Training", None, "dcp"),
        ("Direct Preference Optimization with Uncertainty Weighting", "DPO-UW", "dpouw"),
        (None, None, None),
        ("", "", None),
        ("of the", None, None),
        ("RGO", None, "rgo"),
        ("ATD-CF", "ATD-CF", "atdcf"),
        (" RGO ", None, "rgo"),  # a name that is an acronym, spaced
        ("RGO", "SAR", "sar"),  # an acronym-like name that disagrees with the acronym stays a name
        ("ABCDEFGHIJKLMN", None, "a"),  # too long to be an acronym: a one-word name
        ("RGO", "-", "r"),  # an acronym with no letters: the name, a word, gives its initial
    ],
)
def test_method_key_blocks_names_and_acronyms_together(
    name: str | None, acronym: str | None, key: str | None
) -> None:
    assert method_key(name, acronym) == key


@pytest.mark.parametrize(
    ("acronym", "name"),
    [
        ("RGO", "Recursive Gradient Optimization"),
        ("SARIR", "Self-Alignment via Reward-Based Iterative Refinement"),
        ("ACLSG", "Adaptive Curriculum Learning via Self-Generated Difficulty Estimation"),
        ("DPO-UW", "Direct Preference Optimization with Uncertainty Weighting"),
        ("ATD-CF", "Adaptive Token Dropping with Confidence Feedback"),
    ],
)
def test_acronyms_match_their_names(acronym: str, name: str) -> None:
    assert acronym_matches(acronym, name)


@pytest.mark.parametrize(
    ("acronym", "name"),
    [
        ("RGO", "Sparse Activation Replay"),
        ("SAR", "Self-Alignment via Reward-Based Iterative Refinement Extended Training"),
        ("DCP", "Adaptive Token Dropping"),
        ("", "Anything"),
    ],
)
def test_acronyms_do_not_match_other_names(acronym: str, name: str) -> None:
    assert not acronym_matches(acronym, name)


@pytest.mark.parametrize(
    "other",
    [
        MethodRef(acronym="RGO"),
        MethodRef(name="RGO"),
        MethodRef(name="Recursive Gradient Optimization"),
        MethodRef(name="Recursive Gradient Optimisation", acronym="RGO"),
        MethodRef(name="recursive gradient optimization (RGO) for transformers"),
    ],
)
def test_same_method_variants(other: MethodRef) -> None:
    assert same_method(RGO, other)
    assert same_method(other, RGO)


@pytest.mark.parametrize(
    "other",
    [
        MethodRef(name="Self-Alignment via Reward-Based Iterative Refinement", acronym="SARIR"),
        MethodRef(acronym="SARIR"),
        MethodRef(name="Random Gradient Orthogonalization", acronym="RGO"),
        MethodRef(),
    ],
)
def test_different_methods(other: MethodRef) -> None:
    assert not same_method(RGO, other)


def test_cluster_methods_joins_acronym_and_name_and_is_order_stable() -> None:
    refs = [
        MethodRef(acronym="RGO"),
        MethodRef(name="Self-Alignment via Reward-Based Iterative Refinement", acronym="SARIR"),
        MethodRef(name="Recursive Gradient Optimization"),
        MethodRef(acronym="RGO"),
    ]
    assert cluster_methods(refs) == (0, 1, 0, 0)
    assert cluster_methods([]) == ()


def test_cluster_methods_keeps_an_ambiguous_bare_acronym_apart() -> None:
    other = MethodRef(name="Random Gradient Orthogonalization", acronym="RGO")
    refs = [RGO, MethodRef(acronym="RGO"), other, MethodRef(acronym="RGO")]
    clusters = cluster_methods(refs)
    assert clusters[0] != clusters[2]
    assert clusters[1] not in (clusters[0], clusters[2])
    assert clusters[1] == clusters[3]
