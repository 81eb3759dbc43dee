"""Typed field values: ISO 8601 dates and trust levels, parsed strictly.

Dates: the extended ISO 8601 form `YYYY-MM-DD[Thh:mm[:ss[.f…]]][Z|±hh:mm]` (a space may stand for
`T`, any number of fractional digits, cut to microseconds). A date or time without a timezone
is taken as UTC (Forge writes UTC), and every date is returned in UTC, so equal instants written
with different offsets give equal records and the same output.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

_ISO = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[Tt ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?:[.,](?P<frac>\d+))?)?"
    r"(?P<tz>[Zz]|[+-]\d{2}:?\d{2})?"
)
# The form Forge writes, which datetime.fromisoformat reads as is (Python 3.11+), UTC included.
_FORGE_STAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?Z")
_DIGITS = re.compile(r"[0-9]{1,4}")


def parse_datetime(text: str) -> datetime | None:
    """A timezone-aware UTC datetime, or None when `text` is not an ISO 8601 date or date-time."""
    if _FORGE_STAMP.fullmatch(text):
        try:
            return datetime.fromisoformat(text)
        except ValueError:  # Feb 30, hour 25
            return None
    return parse_iso(text)


def parse_iso(text: str) -> datetime | None:
    """`parse_datetime` for every accepted form (it takes a shortcut for the Forge form)."""
    match = _ISO.fullmatch(text.strip())
    if match is None:
        return None
    stamp = match["date"]
    if match["time"]:
        stamp += "T" + match["time"]
        if match["frac"]:
            stamp += "." + match["frac"][:6].ljust(6, "0")
    tz = match["tz"]
    if tz and tz not in ("Z", "z"):
        stamp += tz if ":" in tz else f"{tz[:3]}:{tz[3:]}"
    try:
        parsed = datetime.fromisoformat(stamp)
    except ValueError:  # month 13, hour 25, offset out of range
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_trust_level(value: object) -> int | None:
    """0-100 from an int, an integral float (RDF round trips give 4.0E1) or a digit string."""
    if isinstance(value, bool):
        return None
    level: int | None = None
    if isinstance(value, int):
        level = value
    elif isinstance(value, float) and value.is_integer():
        level = int(value)
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        level = int(value.strip())
    if level is None or not 0 <= level <= 100:
        return None
    return level
