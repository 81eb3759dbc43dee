"""DOI normalization, syntax and Nature portfolio parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capsule_audit.identifiers.doi import doi_from_key, doi_problems, normalize_doi, parse_nature


@pytest.mark.parametrize(
    "text",
    [
        "doi:10.1038/S41563-026-01234-3",
        "https://doi.org/10.1038/s41563-026-01234-3",
        "http://dx.doi.org/10.1038/s41563-026-01234-3",
        "https://www.nature.com/articles/s41563-026-01234-3",
        "10.1038/s41563-026-01234-3",
    ],
)
def test_every_form_normalizes_to_one_lower_case_doi(text: str) -> None:
    assert normalize_doi(text) == "10.1038/s41563-026-01234-3"


def test_non_doi_is_none() -> None:
    assert normalize_doi("https://example.org/x") is None


@pytest.mark.parametrize("doi", ["10.1038/s41563-026-01234-3", "10.1145/3290605.3300233", "10.1000.10/abc"])
def test_well_formed_dois_have_no_problems(doi: str) -> None:
    assert doi_problems(doi) == ()


@pytest.mark.parametrize(
    "doi",
    [
        "10.10/abc",
        "10.1038/",
        "10.1038",
        "11.1038/x",
        "10.1038/a b",
        "10.1038/abc.",
        "10.1038/s41563-26-1234",
    ],
)
def test_malformed_dois_have_problems(doi: str) -> None:
    assert doi_problems(doi)


def test_nature_doi_parts() -> None:
    nature = parse_nature("10.1038/s41563-026-01234-3")
    assert nature is not None
    assert (nature.code, nature.year, nature.serial, nature.check) == ("s41563", 2026, "01234", "3")
    assert parse_nature("10.1038/s41586-020-2649-2") is not None
    assert parse_nature("10.1038/nmat4567") is None
    assert parse_nature("10.1145/s41563-026-01234-3") is None


def test_doi_from_key() -> None:
    assert doi_from_key("doi:10.1/x") == "10.1/x"
    assert doi_from_key("arxiv:2604.01234") is None


@given(st.text(max_size=60))
def test_any_text_is_handled(text: str) -> None:
    doi = normalize_doi(text)
    if doi is not None:
        doi_problems(doi)
        parse_nature(doi)
