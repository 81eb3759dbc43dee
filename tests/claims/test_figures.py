"""Figures with unit, measure and direction."""

from __future__ import annotations

import pytest

from capsule_audit.claims.figures import find_figures


def facts(sentence: str) -> list[tuple[float, str, str | None, str | None]]:
    return [(f.value, f.unit, f.measure, f.direction) for f in find_figures(sentence)]


def test_verb_then_by_percent() -> None:
    assert facts("The technique reduces training costs by 35% overall.") == [
        (35, "%", "training cost", "lower")
    ]


def test_percent_then_comparative_stops_at_joining_words() -> None:
    got = facts("DCP achieved a 12% higher MMLU score and reduced convergence time by 22% overall.")
    assert got == [(12, "%", "mmlu score", "higher"), (22, "%", "convergence time", "lower")]


def test_benchmark_named_in_the_sentence_is_the_measure() -> None:
    got = facts("On the AlpacaEval 2.0 benchmark, models scored 18% higher in preference-based evaluation.")
    assert got == [(18, "%", "alpacaeval 2.0", "higher")]


def test_scales_and_model_names() -> None:
    got = facts("A 70B-parameter model with 131k context length beat Llama-3-8B on 1 million tokens.")
    assert got == [(70, "B", "parameter", None), (131, "k", "context length", None), (1, "M", "token", None)]


def test_spans_point_at_raw() -> None:
    sentence = "Costs fell 30–35% and speed rose 3x."
    for figure in find_figures(sentence, offset=5):
        assert figure.span is not None
        assert sentence[figure.span.start - 5 : figure.span.end - 5] == figure.raw
    assert [f.value for f in find_figures(sentence)] == [35, 3]


def test_no_digits_no_figures() -> None:
    assert find_figures("No numbers here at all.") == ()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It improves GSM8K accuracy by 4.1 points.", [(4.1, "pt", "gsm8k accuracy", "higher")]),
        ("A 3-point gain on MMLU.", [(3, "pt", "mmlu", "higher")]),
        ("It raises MMLU accuracy by 2.5 percentage points.", [(2.5, "pt", "mmlu accuracy", "higher")]),
        ("We met at 3 pm for an appointment.", []),
    ],
)
def test_points_are_absolute_differences_with_their_own_unit(
    sentence: str, expected: list[tuple[float, str, str | None, str | None]]
) -> None:
    assert facts(sentence) == expected
