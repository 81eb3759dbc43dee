"""The sentence splitter keeps abbreviations, decimals, versions and initials inside sentences."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capsule_audit.claims.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Domains (e.g. Code and math) shift in real time.",
        "It beat GPT-4 vs. Claude on most tasks.",
        "The U.S. Army funded it.",
        "Scores on AlpacaEval 2.0 rose by 3.5 points.",
        "Experiments on Llama-3-8B used 7B models.",
        "J. R. Smith and Prof. Lifu Huang agreed.",
    ],
)
def test_no_break_inside(sentence: str) -> None:
    assert sentences(f"{sentence} Next one follows.") == [sentence, "Next one follows."]


def test_breaks_after_acronyms_and_numbers() -> None:
    text = "It helps on MATH and GSM8K. Costs fell in 2026. Really? Yes!"
    assert sentences(text) == ["It helps on MATH and GSM8K.", "Costs fell in 2026.", "Really?", "Yes!"]


@given(st.text(max_size=300))
def test_ranges_are_ordered_and_inside(text: str) -> None:
    last = 0
    for start, end in split_sentences(text):
        assert last <= start < end <= len(text)
        last = end
