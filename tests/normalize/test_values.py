"""Date and trust-level parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capsule_audit.normalize.values import parse_datetime, parse_iso, parse_trust_level


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-04-12T07:11:18.722949Z", datetime(2026, 4, 12, 7, 11, 18, 722949, tzinfo=UTC)),
        ("2026-04-12T07:11:18.7Z", datetime(2026, 4, 12, 7, 11, 18, 700000, tzinfo=UTC)),
        ("2026-04-12T07:11:18.722949123Z", datetime(2026, 4, 12, 7, 11, 18, 722949, tzinfo=UTC)),
        ("2026-04-12T09:11:18+02:00", datetime(2026, 4, 12, 7, 11, 18, tzinfo=UTC)),
        ("2026-04-12T07:11:18", datetime(2026, 4, 12, 7, 11, 18, tzinfo=UTC)),
        ("2026-04-12", datetime(2026, 4, 12, tzinfo=UTC)),
    ],
)
def test_dates_parse_to_aware_utc(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() == timedelta(0)


def test_offset_is_kept_as_the_same_instant() -> None:
    parsed = parse_datetime("2026-04-12T07:11:18-05:30")
    assert parsed == datetime(2026, 4, 12, 7, 11, 18, tzinfo=timezone(timedelta(hours=-5, minutes=-30)))


@pytest.mark.parametrize("text", ["last Tuesday", "2026-13-01", "2026-04-12T25:00:00Z", "20260412", ""])
def test_bad_dates_are_none(text: str) -> None:
    assert parse_datetime(text) is None


@pytest.mark.parametrize(("value", "level"), [(0, 0), (40, 40), (100, 100), (60.0, 60), ("80", 80)])
def test_trust_levels(value: object, level: int) -> None:
    assert parse_trust_level(value) == level


@pytest.mark.parametrize("value", [250, -1, 40.5, True, "high", "²", None, [40]])
def test_bad_trust_levels(value: object) -> None:
    assert parse_trust_level(value) is None


@settings(max_examples=300, deadline=None)
@given(st.datetimes(), st.integers(0, 9))
def test_forge_form_shortcut_equals_the_general_parser(moment: datetime, digits: int) -> None:
    text = moment.isoformat(timespec="seconds")
    if digits:
        text += "." + f"{moment.microsecond:06d}{moment.microsecond:03d}"[:digits]
    assert parse_datetime(text + "Z") == parse_iso(text + "Z")
    assert parse_datetime(text + "Z") is not None


@pytest.mark.parametrize("text", ["2026-02-30T00:00:00Z", "2026-04-12T24:00:00Z", "2026-04-12T07:11:60Z"])
def test_forge_form_impossible_dates_are_none(text: str) -> None:
    assert parse_datetime(text) is None and parse_iso(text) is None
