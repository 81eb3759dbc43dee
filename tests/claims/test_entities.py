"""Institutions through the alias table, people and handles, method headers."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from capsule_audit.claims.entities import (
    canonical_institution,
    find_institutions,
    find_people,
    parse_method_header,
    with_parents,
)


def test_aliases_share_one_canonical_name() -> None:
    assert canonical_institution("DeepMind") == canonical_institution("Google DeepMind") is not None
    assert find_institutions("Google DeepMind and DeepMind with MIT") == (
        "Google DeepMind",
        "Massachusetts Institute of Technology",
    )


def _families() -> list[tuple[str, list[str]]]:
    data = resources.files("capsule_audit.data").joinpath("institutions.yaml").read_text("utf-8")
    return sorted((str(name), [str(a) for a in aliases]) for name, aliases in yaml.safe_load(data).items())


@pytest.mark.parametrize(("family", "aliases"), _families(), ids=[name for name, _ in _families()])
def test_every_alias_of_a_family_is_found_in_a_sentence_as_its_canonical_name(
    family: str, aliases: list[str]
) -> None:
    assert family in aliases  # the canonical name is an alias of itself
    for alias in aliases:
        assert canonical_institution(alias) == family
        assert find_institutions(f"Researchers at {alias} proposed the method.") == (family,), alias


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A group at Xiamen University proposed it.", ("Xiamen University",)),
        (
            "Peter Shor at AT&T Bell Labs gave the algorithm; Grover, also at Bell Labs, too.",
            ("AT&T Bell Laboratories",),
        ),
        ("Diederik Kingma of the University of Amsterdam proposed Adam.", ("University of Amsterdam",)),
        ("Together AI released FlashAttention-3.", ("Together AI",)),
        (
            "Colleagues at Stanford University and the University at Buffalo.",
            ("Stanford University", "University at Buffalo"),
        ),
    ],
)
def test_institutions_the_issue_names(sentence: str, expected: tuple[str, ...]) -> None:
    assert find_institutions(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "TinyChat delivers a 3x speedup over the FP16 Hugging Face implementation.",
        "GPT-3 was trained on NVIDIA V100 GPUs on a high-bandwidth cluster provided by Microsoft.",
        "It runs on Google Cloud TPUs and Google's TPU v4 chips.",
        "The weights are on the Hugging Face Hub.",
        "Compute was funded by Amazon.",
        "Inference ran on Intel Xeon CPUs and Qualcomm Snapdragon phones.",
        "We compare against Meta's Llama 2 models.",
    ],
)
def test_products_vendors_and_providers_are_not_affiliations(sentence: str) -> None:
    assert find_institutions(sentence) == ()


def test_an_organisation_used_as_a_name_and_as_a_product_counts_once_as_affiliation() -> None:
    assert find_institutions("Hugging Face released it on the Hugging Face Hub.") == ("Hugging Face",)
    assert find_institutions("Microsoft Research and NVIDIA trained Megatron.") == (
        "Microsoft Research",
        "NVIDIA",
    )


def test_an_institution_names_its_parent_organisation_too() -> None:
    assert with_parents(frozenset({"Google DeepMind"})) == {"Google DeepMind", "Google"}
    assert with_parents(frozenset({"Google Research", "OpenAI"})) == {"Google Research", "Google", "OpenAI"}
    assert with_parents(frozenset({"OpenAI"})) == {"OpenAI"}


def test_lower_case_and_hyphenated_words_are_not_institutions() -> None:
    assert find_institutions("a meta-controller trained on Mistral-7B") == ()


def test_people_and_handles() -> None:
    assert find_people("Prof. Lifu Huang’s work, shared by @lvwerra (mail x@y.org)") == (
        "Lifu Huang",
        "@lvwerra",
    )


@pytest.mark.parametrize(
    ("line", "ordinal", "expected"),
    [
        ("Self-Alignment via Reward-Based Iterative Refinement (SARIR)**", 1, (1, "SARIR")),
        ("**Recursive Reasoning via Thought Chains (RRTC)**", 1, (1, "RRTC")),
        ("**3. Sparse Activation Backpropagation (SAB)**", None, (3, "SAB")),
        ("Sparse Activation Replay (SAR) for Long-Context Training**", 2, (2, "SAR")),
        ("Text-to-Text Transfer Transformer (T5)**", 2, (2, "T5")),
        ("**5. Low-Rank Adaptation (LoRA)**", None, (5, "LoRA")),
        ("**2. Generative Pre-trained Transformer 3 (GPT-3)**", None, (2, "GPT-3")),
    ],
)
def test_method_headers(line: str, ordinal: int | None, expected: tuple[int, str]) -> None:
    header = parse_method_header(line, ordinal)
    assert header is not None and (header.ordinal, header.acronym) == expected


@pytest.mark.parametrize(
    ("line", "ordinal", "name", "acronym"),
    [
        ("**3. LLM.int8()**", None, "LLM.int8()", None),
        ("LLM.int8() (8-bit matrix multiplication)**", 3, "LLM.int8()", None),
        ("**4. phi-4**", None, "phi-4", None),
        ("word2vec**", 1, "word2vec", None),
        ("**2. Llama 2 (Meta)**", None, "Llama 2", None),  # a note in parentheses, not an acronym
        (
            "**6. GPT-3 (Generative Pre-trained Transformer 3)**",
            None,
            "Generative Pre-trained Transformer 3",
            "GPT-3",
        ),
        ("**1. SimPO**", None, "SimPO", None),
    ],
)
def test_method_headers_with_digits_dots_parentheses_and_lower_case(
    line: str, ordinal: int | None, name: str, acronym: str | None
) -> None:
    header = parse_method_header(line, ordinal)
    assert header is not None and (header.name, header.acronym) == (name, acronym)


@pytest.mark.parametrize(
    ("line", "ordinal"),
    [
        ("As of April 12, 2026, several advancements include:", None),
        ("The model is good (GOOD).", 1),
        ("Plain Name (ABC)", None),  # not numbered
        ("1. Plain text (with note)", None),  # no acronym and not bold
        ("Trained on NVIDIA GPUs (A100) for a week", 1),  # 'A100' is a part number
    ],
)
def test_not_method_headers(line: str, ordinal: int | None) -> None:
    assert parse_method_header(line, ordinal) is None
