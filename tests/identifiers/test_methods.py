"""Method keys and fuzzy method identity."""

from __future__ import annotations

import pytest

from capsule_audit.identifiers.methods import (
    acronym_matches,
    cluster_methods,
    method_block,
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
        ("ABCDEFGHIJKLMNOPQRSTUV", None, "a"),  # too long to be an acronym: a one-word name
        ("SimPO", None, "simpo"),  # mixed-case acronyms are acronyms
        ("LoRA", None, "lora"),
        ("Low-Rank Adaptation", "LoRA", "lora"),
        ("GPT-3", None, "gpt3"),
        ("T5", None, "t5"),
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
        ("LoRA", "Low-Rank Adaptation"),
        ("LoRA", "low rank adaptation"),
        ("SimPO", "Simple Preference Optimization"),
        ("QLoRA", "Quantized Low-Rank Adaptation"),
        ("MoE", "Mixture of Experts"),
        ("CoT", "Chain-of-Thought"),
        ("DeBERTa", "Decoding-enhanced BERT with disentangled attention"),
        ("GPT-3", "Generative Pre-trained Transformer 3"),
        ("T5", "Text-to-Text Transfer Transformer"),
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
        ("LoRA", "Sparse Activation Replay"),
        ("SimPO", "Direct Preference Optimization"),
        ("SAR", "Salient Reweighting"),  # capitals open parts: 'SA' is not read off 'Salient'
        ("T5", "Text Transformer"),
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


@pytest.mark.parametrize(
    "variants",
    [
        [
            (None, "LoRA"),
            ("Low-Rank Adaptation", None),
            ("low rank adaptation", None),
            ("Low-Rank Adaptation", "LoRA"),
        ],
        [
            ("SimPO", None),
            ("Simple Preference Optimization", None),
            ("simple preference optimization", "SimPO"),
        ],
        [(None, "RGO"), ("Recursive Gradient Optimization", None)],
        [(None, "DCP"), ("Dynamic Curriculum Pre-Training", None)],
        [(None, "CoT"), ("Chain-of-Thought", None)],
        [(None, "T5"), ("Text-to-Text Transfer Transformer", None)],
        [("GPT-3", None), ("Generative Pre-trained Transformer 3", None)],
        [("SARIR", None), ("Self-Alignment via Reward-Based Iterative Refinement", None)],
    ],
)
def test_a_method_and_its_acronym_share_one_block(variants: list[tuple[str | None, str | None]]) -> None:
    assert len({method_block(name, acronym) for name, acronym in variants}) == 1


def test_blocks_of_different_methods_and_one_word_names() -> None:
    assert method_block(None, "LoRA") != method_block("Simple Preference Optimization", None)
    assert method_block("word2vec", None) == "word2vec"
    assert method_block("phi-4", None) == method_block("Phi-4", None) == "p4"
    assert method_block(None, None) is None and method_block("of the", None) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (MethodRef(acronym="LoRA"), MethodRef(name="Low-Rank Adaptation")),
        (MethodRef(name="LoRA"), MethodRef(name="low rank adaptation")),
        (MethodRef(name="Low-Rank Adaptation", acronym="LoRA"), MethodRef(name="LoRA")),
        (MethodRef(name="SimPO"), MethodRef(name="Simple Preference Optimization")),
        (MethodRef(acronym="LORA"), MethodRef(name="LoRA")),
    ],
)
def test_mixed_case_acronyms_are_one_method_with_their_names(a: MethodRef, b: MethodRef) -> None:
    assert same_method(a, b) and same_method(b, a)


def test_mixed_case_acronyms_of_different_methods_stay_apart() -> None:
    assert not same_method(
        MethodRef(name="SimPO"), MethodRef(name="Direct Preference Optimization", acronym="DPO")
    )
    assert not same_method(MethodRef(name="GPT-3"), MethodRef(name="GPT-4"))
    assert not same_method(MethodRef(name="QLoRA"), MethodRef(name="Low-Rank Adaptation"))
