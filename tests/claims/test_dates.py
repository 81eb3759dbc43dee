"""Dates written in prose."""

from __future__ import annotations

import datetime as dt

from capsule_audit.claims.dates import as_of_date, first_date, updated_date


def test_as_of() -> None:
    assert as_of_date("As of April 12, 2026, several notable advancements") == dt.date(2026, 4, 12)
    assert as_of_date("no date") is None and as_of_date(None) is None


def test_forms_and_invalid_dates() -> None:
    assert first_date("on 10 Apr 2026") == dt.date(2026, 4, 10)
    assert first_date("2026-04-31 then 2026-05-01") == dt.date(2026, 5, 1)


def test_updated_line() -> None:
    assert updated_date("Sources (29)\nUpdated Mar 9, 2026") == dt.date(2026, 3, 9)
