"""Markdown inside a sentence: a claim's cleaned text drops links, autolinks and emphasis; lead-ins
are not statements. (Their linear-time scans against the patterns: `test_scan_paths.py`.)"""

from __future__ import annotations

from capsule_audit.claims.markup import clean_markup, is_statement, trim_markup


def test_cleaned_text_keeps_link_text_and_drops_emphasis_and_extra_spaces() -> None:
    raw = "**RGO** cuts  memory by 40% ([paper](https://arxiv.org/abs/2604.01234)), see <https://x.org>."
    assert clean_markup(raw) == "RGO cuts memory by 40% (paper), see https://x.org."
    assert clean_markup("![figure](f.png) shows `SAR`") == "figure shows SAR"


def test_snake_case_and_inner_asterisks_are_not_emphasis() -> None:
    assert clean_markup("the learning_rate of 2*3 steps") == "the learning_rate of 2*3 steps"


def test_a_span_is_trimmed_past_stray_marks_at_its_ends_only() -> None:
    text = "- **RGO reduces memory.** "
    start, end = trim_markup(text, 2, len(text))
    assert text[start:end] == "RGO reduces memory."
    assert trim_markup(text, 5, 5) == (5, 5)


def test_a_lead_in_or_a_bare_number_states_nothing() -> None:
    assert not is_statement("Key developments include:")
    assert not is_statement("12.")
    assert is_statement("RGO reduces memory usage by 40%.")
    assert is_statement("The three benchmarks used in this evaluation are listed below:")
