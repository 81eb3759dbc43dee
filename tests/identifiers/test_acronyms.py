"""Acronyms as papers write them: which tokens are acronyms, and the letters a name shares."""

from __future__ import annotations

import pytest

from capsule_audit.identifiers.acronyms import acronym_like, block_letters, name_initials, name_parts


@pytest.mark.parametrize("token", ["RGO", "LoRA", "SimPO", "QLoRA", "GPT-3", "T5", "ATD-CF", "DeBERTa"])
def test_acronyms(token: str) -> None:
    assert acronym_like(token)


@pytest.mark.parametrize(
    "token", ["Transformer", "word2vec", "phi-4", "Low-Rank Adaptation", "", "3D", "A" * 21]
)
def test_not_acronyms(token: str) -> None:
    assert not acronym_like(token)


@pytest.mark.parametrize(
    ("acronym", "name"),
    [
        ("LoRA", "Low-Rank Adaptation"),
        ("SimPO", "Simple Preference Optimization"),
        ("MoE", "Mixture of Experts"),
        ("CoT", "Chain-of-Thought"),
        ("T5", "Text-to-Text Transfer Transformer"),
    ],
)
def test_an_acronym_opens_with_its_names_initials(acronym: str, name: str) -> None:
    assert name_initials(name)[:2] == block_letters(acronym)[:2]


def test_small_words_are_kept_inside_a_name_but_not_at_its_ends() -> None:
    assert name_parts("The Chain-of-Thought of") == (("chain", True), ("of", False), ("thought", True))
