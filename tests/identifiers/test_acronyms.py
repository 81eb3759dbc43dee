"""Acronyms as papers write them: which tokens are acronyms, and the letters a name shares."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capsule_audit.identifiers.acronyms import (
    STOPWORDS,
    acronym_like,
    acronym_matches,
    block_letters,
    name_initials,
    name_parts,
)
from capsule_audit.identifiers.methods import method_block


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


_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10).filter(
    lambda w: w not in STOPWORDS
)


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(_WORDS, min_size=2, max_size=6),
    extra=st.lists(st.integers(min_value=0, max_value=2), min_size=6, max_size=6),
    hyphens=st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_an_acronym_read_off_a_name_matches_it_and_shares_its_block(
    words: list[str], extra: list[int], hyphens: list[bool]
) -> None:
    """'Low-Rank Adaptation' -> 'LoRA': each word's capital initial, maybe a lower-case letter or two."""
    acronym = "".join(w[0].upper() + w[1 : 1 + extra[i]] for i, w in enumerate(words))
    name = words[0].capitalize()
    for i, word in enumerate(words[1:], 1):
        name += ("-" if hyphens[i] else " ") + word.capitalize()
    assert acronym_matches(acronym, name)
    assert acronym_matches(acronym, name.lower().replace("-", " "))
    assert method_block(None, acronym) == method_block(name, None) == method_block(name.lower(), None)
