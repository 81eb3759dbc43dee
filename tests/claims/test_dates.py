"""Dates written in prose."""

from __future__ import annotations

import datetime as dt

from capsule_audit.claims.dates import as_of_date, first_date, stated_date, updated_date, written_date


def test_as_of() -> None:
    assert as_of_date("As of April 12, 2026, several notable advancements") == dt.date(2026, 4, 12)
    assert as_of_date("no date") is None and as_of_date(None) is None


def test_forms_and_invalid_dates() -> None:
    assert first_date("on 10 Apr 2026") == dt.date(2026, 4, 10)
    assert first_date("2026-04-31 then 2026-05-01") == dt.date(2026, 5, 1)


def test_updated_line() -> None:
    assert updated_date("Sources (29)\nUpdated Mar 9, 2026") == dt.date(2026, 3, 9)


def test_a_stated_date_may_be_a_month_and_year() -> None:
    assert stated_date("as described in Nature in November 2021 (") == (dt.date(2021, 11, 1), "month")
    assert stated_date("Sept 2024, then 3 May 2025") == (dt.date(2025, 5, 3), "day")  # a full date first
    assert stated_date("May 2021") == (dt.date(2021, 5, 1), "month")
    assert stated_date("As of November 2026, it leads") is None  # when written, not when published
    assert stated_date("in 2021 and in Nature") is None  # a year alone is not read
    assert stated_date("no digits at all") is None


def test_a_date_is_written_back_to_its_precision() -> None:
    assert written_date(dt.date(2021, 11, 1), "month") == "2021-11"
    assert written_date(dt.date(2021, 11, 4), "day") == "2021-11-04"
