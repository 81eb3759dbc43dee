"""Finding citations in running text, with spans, venues and dates."""

from __future__ import annotations

import datetime as dt

from capsule_audit.claims.citations import dedupe_citations, find_citations, title_key

LINE = (
    "- Source: [Nature Machine Intelligence, April 10, 2026 – doi:10.1038/s41563-026-01234-3]"
    "(https://www.nature.com/articles/s41563-026-01234-3)*"
)


def test_link_text_and_url_are_one_citation_with_venue_and_date() -> None:
    found = find_citations(LINE)
    assert {c.key for c in found} == {"doi:10.1038/s41563-026-01234-3"}
    (merged,) = dedupe_citations(found)
    assert merged.venue == "Nature Machine Intelligence"
    assert merged.stated_date == dt.date(2026, 4, 10)


def test_spans_are_shifted_by_offset() -> None:
    text = "see arXiv:2604.01234v2, and hep-th/9901001."
    for citation in find_citations(text, offset=100):
        assert citation.span is not None
        assert text[citation.span.start - 100 : citation.span.end - 100] == citation.raw
    assert [c.key for c in find_citations(text)] == ["arxiv:2604.01234", "arxiv:hep-th/9901001"]


def test_quoted_titles_become_title_citations() -> None:
    text = 'Huang’s work, titled "Goodhart’s Revenge", and “Massive Activations in LLMs”; not "ok".'
    keys = [c.key for c in find_citations(text)]
    assert keys == [title_key("Goodhart's Revenge"), title_key("Massive Activations in LLMs")]
    assert keys[0] == "title:goodhart's revenge"


def test_markdown_link_punctuation_is_not_part_of_the_identifier() -> None:
    (url, *_) = find_citations("(https://arxiv.org/abs/2604.01567).")
    assert url.key == "arxiv:2604.01567" and url.raw.endswith("01567")


def test_plain_prose_has_no_citations() -> None:
    assert find_citations("Scores rose 2.0 points on AlpacaEval 2.0, e.g. in code: 3/4 of runs.") == []


def test_a_month_and_year_beside_a_doi_is_its_stated_date_to_the_month() -> None:
    text = "GNoME, described in Nature in November 2021 (doi:10.1038/s41586-023-06735-9)."
    (found,) = find_citations(text)
    assert (found.stated_date, found.stated_precision) == (dt.date(2021, 11, 1), "month")
    # Filled in from a later mention, the date keeps its precision.
    later = find_citations(
        "doi:10.1038/s41586-023-06735-9; then doi:10.1038/s41586-023-06735-9 (Nature, May 2023)"
    )
    (merged,) = dedupe_citations(later)
    assert (merged.stated_date, merged.stated_precision) == (dt.date(2023, 5, 1), "month")
