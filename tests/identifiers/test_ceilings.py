"""Sequence ceilings come from the data file and bound each month."""

from __future__ import annotations

import pytest

from capsule_audit.identifiers.arxiv import parse_arxiv
from capsule_audit.identifiers.ceilings import (
    Ceilings,
    ceilings_from_mapping,
    is_implausible,
    load_ceilings,
    sequence_ceiling,
)


def _implausible(text: str, ceilings: Ceilings | None = None) -> bool:
    aid = parse_arxiv(text)
    assert aid is not None
    return is_implausible(aid, ceilings)


def test_bundled_file_has_an_absolute_maximum_of_35000() -> None:
    ceilings = load_ceilings()
    assert ceilings.absolute_max == 35000
    assert all(v <= ceilings.absolute_max for v in ceilings.yearly.values())


@pytest.mark.parametrize("text", ["2510.27688", "2603.30045", "2605.31572", "2606.31909", "2604.01234"])
def test_highest_ids_seen_cited_are_plausible(text: str) -> None:
    assert not _implausible(text)


@pytest.mark.parametrize("text", ["2604.35001", "3001.35001", "2403.27000", "1601.15000"])
def test_sequences_above_the_ceiling_are_implausible(text: str) -> None:
    assert _implausible(text)


def test_lookup_order_month_then_year_then_later_year_then_absolute() -> None:
    c = ceilings_from_mapping({"absolute_max": 100, "yearly": {2020: 50, 2022: 70}, "monthly": {"2105": 90}})
    assert c.for_month(2021, 5) == 90
    assert c.for_month(2021, 6) == 70  # nearest later year
    assert c.for_month(2019, 1) == 50
    assert c.for_month(2030, 1) == 100


def test_old_scheme_has_no_ceiling() -> None:
    aid = parse_arxiv("hep-th/9901001")
    assert aid is not None and sequence_ceiling(aid) is None


@pytest.mark.parametrize("data", [None, [], {"yearly": {}}, {"absolute_max": "x"}])
def test_malformed_data_file_is_rejected(data: object) -> None:
    with pytest.raises(ValueError):
        ceilings_from_mapping(data)


def test_bundled_lookup_equals_the_data_files_month_by_month() -> None:
    bundled = load_ceilings()
    for text in (
        "arXiv:0704.0001",
        "arXiv:1412.1234",
        "arXiv:2403.27000",
        "arXiv:2604.01234",
        "arXiv:9912.00001",
    ):
        aid = parse_arxiv(text)
        assert aid is not None
        assert sequence_ceiling(aid) == bundled.for_month(aid.year, aid.month)
        assert sequence_ceiling(aid) == sequence_ceiling(aid, bundled)
    month_13 = parse_arxiv("arXiv:2613.01234")
    assert month_13 is not None and sequence_ceiling(month_13) is None
