"""CA301-CA305 on hand-built subjects."""

from __future__ import annotations

from datetime import UTC, date, datetime

from capsule_audit.models.findings import Severity
from capsule_audit.rules.dates import (
    as_of_date_mismatch,
    citation_after_capsule_date,
    doi_year_mismatch,
    future_date,
    modified_before_created,
)
from tests.identifiers.builders import A, cite, claim, context, keys, record, run, source, subject

APRIL_12 = datetime(2026, 4, 12, 7, 11, 18, tzinfo=UTC)


def test_ca301_cited_id_assigned_after_date_created() -> None:
    s = subject(
        record(created=datetime(2026, 3, 28, tzinfo=UTC)),
        claims=[claim(A, "x", citations=[cite("arxiv:2604.01234"), cite("arxiv:2603.09999")])],
        sources=(source(0, cite("doi:10.1038/s41563-027-01111-3")),),
    )
    assert keys(run(citation_after_capsule_date, s)) == ["arxiv:2604.01234", "doi:10.1038/s41563-027-01111-3"]


def test_ca301_falls_back_to_the_as_of_date() -> None:
    cites = [cite("arxiv:2604.01234")]
    assert keys(
        run(
            citation_after_capsule_date,
            subject(claims=[claim(A, "x", citations=cites)], as_of=date(2026, 3, 30)),
        )
    ) == ["arxiv:2604.01234"]
    assert (
        run(
            citation_after_capsule_date,
            subject(claims=[claim(A, "x", citations=cites)], as_of=date(2026, 4, 1)),
        )
        == []
    )
    assert run(citation_after_capsule_date, subject(claims=[claim(A, "x", citations=cites)])) == []


def test_ca301_says_which_date_it_compared_with() -> None:
    cites = [cite("arxiv:2604.01234")]
    created = subject(
        record(created=datetime(2026, 3, 28, tzinfo=UTC)), claims=[claim(A, "x", citations=cites)]
    )
    as_of = subject(claims=[claim(A, "x", citations=cites)], as_of=date(2026, 3, 30))
    (by_created,) = run(citation_after_capsule_date, created)
    (by_as_of,) = run(citation_after_capsule_date, as_of)
    assert by_created.message.endswith("after the capsule's dateCreated 2026-03-28")
    assert by_as_of.message.endswith("after the 'As of' date of its text 2026-03-30")


def test_ca301_same_month_passes() -> None:
    s = subject(record(created=APRIL_12), claims=[claim(A, "x", citations=[cite("arxiv:2604.01234")])])
    assert run(citation_after_capsule_date, s) == []


def test_ca302_modified_before_created() -> None:
    bad = subject(record(created=APRIL_12, modified=datetime(2026, 4, 1, tzinfo=UTC)))
    assert len(run(modified_before_created, bad)) == 1
    assert run(modified_before_created, subject(record(created=APRIL_12, modified=APRIL_12))) == []
    assert run(modified_before_created, subject(record(modified=APRIL_12))) == []


def test_ca303_as_of_beyond_tolerance_of_date_created() -> None:
    s = subject(record(created=APRIL_12), as_of=date(2026, 3, 1), name_as_of=date(2026, 4, 11))
    assert [v.identity for v in run(as_of_date_mismatch, s)] == ["text"]


def test_ca303_threshold_is_configurable() -> None:
    s = subject(record(created=APRIL_12), as_of=date(2026, 4, 7))
    assert len(run(as_of_date_mismatch, s)) == 1
    assert run(as_of_date_mismatch, s, context(thresholds={"CA303.tolerance_days": 10})) == []


def test_ca303_without_date_created_compares_name_and_text() -> None:
    assert len(run(as_of_date_mismatch, subject(as_of=date(2026, 4, 20), name_as_of=date(2026, 4, 11)))) == 1
    assert run(as_of_date_mismatch, subject(as_of=date(2026, 4, 11), name_as_of=date(2026, 4, 11))) == []
    assert run(as_of_date_mismatch, subject(as_of=date(2026, 4, 11))) == []


def test_ca304_every_future_date_is_reported_once() -> None:
    future = datetime(2099, 1, 1, tzinfo=UTC)
    s = subject(
        record(created=future, modified=future),
        as_of=date(2099, 1, 1),
        claims=[claim(A, "x", citations=[cite("arxiv:2604.01234", stated=date(2099, 3, 2))])],
    )
    found = run(future_date, s)
    assert sorted(v.identity for v in found) == ["as-of-text", "dateCreated", "dateModified", "stated-date"]
    assert [v.key for v in found if v.identity == "stated-date"] == ["arxiv:2604.01234"]


def test_ca304_past_dates_and_a_naive_clock_pass() -> None:
    s = subject(record(created=APRIL_12, modified=APRIL_12), as_of=date(2026, 4, 12))
    assert run(future_date, s, context(now=datetime(2026, 5, 1))) == []


def test_ca305_doi_year_against_stated_date() -> None:
    key = "doi:10.1038/s41563-026-01234-3"
    before = run(
        doi_year_mismatch, subject(claims=[claim(A, "x", citations=[cite(key, stated=date(2025, 4, 10))])])
    )
    later = run(
        doi_year_mismatch, subject(claims=[claim(A, "x", citations=[cite(key, stated=date(2028, 1, 1))])])
    )
    assert [(v.key, v.severity) for v in before] == [(key, None)]
    assert [(v.key, v.severity) for v in later] == [(key, Severity.WARNING)]


def test_ca305_consistent_or_undated_passes() -> None:
    key = "doi:10.1038/s41563-026-01234-3"
    s = subject(
        claims=[
            claim(A, "x", citations=[cite(key, stated=date(2026, 4, 10))]),
            claim(
                A, "y", citations=[cite("doi:10.1038/s41586-025-01111-1", stated=date(2026, 1, 5))], start=5
            ),
            claim(A, "z", citations=[cite("doi:10.1145/3290605.3300233", stated=date(2001, 1, 1))], start=9),
        ]
    )
    assert run(doi_year_mismatch, s) == []
