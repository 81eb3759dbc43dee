"""Dates written in prose: 'April 12, 2026', 'Mar 9, 2026', '12 April 2026', '2026-04-12'."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
DATE_PATTERN = (
    rf"(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})\s+(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2}))"
)
_DIGIT = re.compile(r"\d")
DATE = re.compile(rf"\b{DATE_PATTERN}(?!\d)")
# '\b[Aa]s of', opening with its letters so that the regex engine skips ahead to them.
_AS_OF = re.compile(rf"[Aa](?<!\w[Aa])s of\s+{DATE_PATTERN}(?!\d)")
# A month and year alone ('in November 2021'): a publication date written to the month.
_MONTH_YEAR = re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<y>\d{{4}})(?!\d)")
_AS_OF_BEFORE = re.compile(r"\b[Aa]s of\s+$")
Precision = Literal["day", "month"]
_UPDATED = re.compile(rf"^[^\S\n]*(?:Last\s+)?[Uu]pdated:?\s+{DATE_PATTERN}\s*$", re.MULTILINE)


def date_from_match(match: re.Match[str]) -> date | None:
    """The date a DATE_PATTERN match stands for; None when it is no calendar date (April 31)."""
    groups = match.groupdict()
    try:
        if groups.get("y3"):
            return date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
        month_name = groups.get("m1") or groups.get("m2") or ""
        day = groups.get("d1") or groups.get("d2") or "0"
        year = groups.get("y1") or groups.get("y2") or "0"
        return date(int(year), _MONTHS[month_name[:3].lower()], int(day))
    except (ValueError, KeyError):
        return None


def first_date(text: str) -> date | None:
    """The first valid date written in `text`."""
    if _DIGIT.search(text) is None:  # every form has digits; most citation windows have none
        return None
    for match in DATE.finditer(text):
        found = date_from_match(match)
        if found is not None:
            return found
    return None


def stated_date(text: str) -> tuple[date, Precision] | None:
    """The date written in `text` beside a citation: the first full date, else the first month
    and year ('November 2021', as its first day) that is not an 'As of' date."""
    day = first_date(text)
    if day is not None:
        return day, "day"
    if _DIGIT.search(text) is None:
        return None
    for match in _MONTH_YEAR.finditer(text):
        if _AS_OF_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            continue
        year = int(match.group("y"))
        if year >= 1:
            return date(year, _MONTHS[match.group("m")[:3].lower()], 1), "month"
    return None


def written_date(when: date, precision: Precision) -> str:
    """A stated date as written to its precision: '2021-11-04', or '2021-11' for a month."""
    return when.isoformat() if precision == "day" else when.isoformat()[:7]


def as_of_date(text: str | None) -> date | None:
    """The date of the first 'As of <date>' in `text`."""
    if not text:
        return None
    match = _as_of_match(text)
    return date_from_match(match) if match else None


def _as_of_match(text: str) -> re.Match[str] | None:
    """`_AS_OF.search(text)`, tried only where 's of' is written.

    Every match is '[Aa]' then 's of'; `str.find` finds the few 's of' of a capsule far faster
    than the regex engine stops at its every 'a', and trying them in order keeps the leftmost.
    """
    position = text.find("s of", 1)
    while position >= 0:
        if text[position - 1] in "Aa":
            match = _AS_OF.match(text, position - 1)
            if match is not None:
                return match
        position = text.find("s of", position + 1)
    return None


def updated_date(text: str) -> date | None:
    """The date of an 'Updated Mar 9, 2026' line (digest pages)."""
    match = _UPDATED.search(text)
    return date_from_match(match) if match else None
