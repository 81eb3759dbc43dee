"""Parsing arXiv Atom feeds."""

from __future__ import annotations

from datetime import date

import pytest

from capsule_audit.online.atom import MalformedFeed, parse_feed
from tests.online.fake_services import Paper, _entry, atom_feed, error_feed


def test_entries_are_read_with_their_ids_versions_and_dates() -> None:
    feed = parse_feed(
        atom_feed(
            [
                _entry(
                    Paper("2604.04501", "SAAT:  Sparse\n  Activation", "2026-04-06", ("Ann Lee", "Bo Chen"))
                ),
                _entry(Paper("hep-th/9901001", "Old scheme", "1999-01-04")),
            ]
        )
    )
    assert feed.total_results == 2 and feed.errors == ()
    saat, old = feed.entries
    assert (saat.arxiv_id, saat.version, saat.title) == ("2604.04501", "v1", "SAAT: Sparse Activation")
    assert saat.authors == ("Ann Lee", "Bo Chen") and saat.published == date(2026, 4, 6)
    assert old.arxiv_id == "hep-th/9901001"


def test_an_empty_feed_has_no_entries() -> None:
    feed = parse_feed(atom_feed([]))
    assert feed.total_results == 0 and feed.entries == ()


def test_error_entries_are_errors_not_papers() -> None:
    feed = parse_feed(error_feed("2604.0123x"))
    assert feed.entries == () and feed.errors == ("incorrect id format for 2604.0123x",)


@pytest.mark.parametrize(
    "body",
    [
        '<?xml version="1.0"?><feed><entry><title>cut',
        '{"error": "Rate limit exceeded"}',
        "<html><body>Service Unavailable</body></html>",
        '<!DOCTYPE feed [<!ENTITY a "aaaa">]><feed xmlns="http://www.w3.org/2005/Atom">&a;</feed>',
        atom_feed(["<entry><id>http://example.org/not-arxiv</id></entry>"]),
        # Papers outside the Atom namespace would read as "no entries": never a proof of absence.
        atom_feed([_entry(Paper("2604.04501", "SAAT", "2026-04-06")).replace("<entry>", '<entry xmlns="">')]),
        atom_feed([]).replace("<opensearch:totalResults>0", "<opensearch:totalResults>lots"),
        atom_feed([]).replace("<opensearch:totalResults>0", "<opensearch:totalResults>\u00b2"),
        atom_feed([]).replace("<opensearch:totalResults>0", "<opensearch:totalResults>-1"),
    ],
)
def test_anything_else_is_a_malformed_feed(body: str) -> None:
    with pytest.raises(MalformedFeed):
        parse_feed(body)
