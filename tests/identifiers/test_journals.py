"""Nature journal codes and venue matching."""

from __future__ import annotations

import pytest

from capsule_audit.identifiers.journals import (
    journal_for_code,
    journal_for_venue,
    journals_from_mapping,
    venue_matches,
)


def test_codes_from_facts() -> None:
    table = {code: journal_for_code(code) for code in ("s41563", "s42256", "s41586", "s41598")}
    assert {c: j.name for c, j in table.items() if j} == {
        "s41563": "Nature Materials",
        "s42256": "Nature Machine Intelligence",
        "s41586": "Nature",
        "s41598": "Scientific Reports",
    }
    assert journal_for_code("s99999") is None


@pytest.mark.parametrize(
    ("venue", "code"),
    [
        ("Nature Machine Intelligence", "s42256"),
        ("Nature Machine Intelligence, April 10, 2026", "s42256"),
        ("Nat. Mach. Intell.", "s42256"),
        ("Nature", "s41586"),
        ("nature materials 25, 101", "s41563"),
        ("npj Digital Medicine", "s41746"),
    ],
)
def test_venue_names_its_journal(venue: str, code: str) -> None:
    journal = journal_for_venue(venue)
    assert journal is not None and journal.code == code


@pytest.mark.parametrize("venue", ["Nature Machine Learning", "Science", "ICML 2026", ""])
def test_unknown_venues_name_no_journal(venue: str) -> None:
    assert journal_for_venue(venue) is None


def test_venue_matches_only_its_own_journal() -> None:
    materials, mi = journal_for_code("s41563"), journal_for_code("s42256")
    assert materials is not None and mi is not None
    assert not venue_matches(materials, "Nature Machine Intelligence")
    assert venue_matches(mi, "Nature Machine Intelligence")
    nature = journal_for_code("s41586")
    assert nature is not None and not venue_matches(nature, "Nature Machine Intelligence")


def test_malformed_table_is_rejected() -> None:
    with pytest.raises(ValueError):
        journals_from_mapping({"codes": {}})
