"""Short capsule labels editors can tell apart, and anchors that do not move between runs."""

from __future__ import annotations

from datetime import UTC, datetime

from capsule_audit.reporters.html_labels import (
    Anchors,
    capsule_ref,
    short_label,
    slug,
    word_frequency,
)

FORGE = "https://forgecascade.org/public/capsules/223f9579-7bd4-418a-bf62-f72791e369f5"
TITLES = [
    "As of April 12, 2026, several notable advancements in large language model (LLM) training",
    "As of April 17, 2026, several notable advancements in large language model (LLM) training",
    "As of April 14, 2026, several new large language model (LLM) training techniques have been",
    "2026: A Year of Unprecedented Advancements in AI Core Optimization, Curricula, and Fine-Tuning",
]


def test_the_label_is_date_distinguishing_words_and_id_prefix() -> None:
    frequency = word_frequency(TITLES)
    day = datetime(2026, 4, 14, tzinfo=UTC)
    assert short_label(FORGE, TITLES[2], day, frequency, len(TITLES)) == "2026-04-14 · techniques · 223f9579"
    year = short_label(FORGE, TITLES[3], None, frequency, len(TITLES))
    assert year.startswith("undated · ") and year.endswith(" · 223f9579")
    assert len(year.split(" · ")[1].split()) == 3, "at most three words"


def test_titles_that_differ_only_by_date_get_no_words_but_their_dates_and_ids() -> None:
    frequency = word_frequency(TITLES)
    day = datetime(2026, 4, 12, tzinfo=UTC)
    assert short_label(FORGE, TITLES[0], day, frequency, len(TITLES)) == "2026-04-12 · 223f9579"


def test_a_very_long_word_is_cut_in_the_label() -> None:
    title = "L" * 400
    label = short_label(FORGE, title, None, word_frequency([title, *TITLES]), 5)
    assert len(label) < 60 and "…" in label


def test_anchors_are_made_of_safe_characters_from_stable_data() -> None:
    assert capsule_ref(FORGE) == "223f9579-7bd4-418a-bf62-f72791e369f5"
    assert slug("arxiv:2604.01234") == "arxiv-2604.01234"
    hostile = slug('"><script>alert(1)</script>')
    assert hostile.replace("-", "").replace(".", "").isalnum()
    assert slug("\u202e\u202e\u202e") != "" and slug("日本語のタイトル") == slug("日本語のタイトル")
    assert slug("日本語のタイトル") != slug("別のタイトル"), "a digest keeps non-Latin keys apart"
    anchors = Anchors("capsule")
    assert [anchors.add("a"), anchors.add("a"), anchors.add("b")] == ["capsule-a", "capsule-a-2", "capsule-b"]
