"""Crossref lookups: `GET /works/{doi}` in the polite pool (`mailto`); 404 means Crossref lacks it.

A 404 is not yet "fabricated": DataCite and other agencies register DOIs Crossref does not hold,
so the caller asks doi.org next (`capsule_audit.online.doiorg`).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

import httpx

from capsule_audit.online.http import PoliteSession
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.results import Lookup, LookupStatus

SERVICE = "crossref"


def _first(value: Any) -> str | None:
    if isinstance(value, list) and value and isinstance(value[0], str):
        return " ".join(value[0].split())
    return None


def _date_parts(value: Any) -> date | None:
    """`{"date-parts": [[2026, 4, 6]]}` as a date (month and day default to 1); None if odd."""
    parts = value.get("date-parts") if isinstance(value, dict) else None
    if not isinstance(parts, list) or not parts or not isinstance(parts[0], list) or not parts[0]:
        return None
    year, month, day = [*parts[0], 1, 1][:3]
    try:
        return date(int(year), int(month), int(day))
    except (TypeError, ValueError, OverflowError):
        return None


def _issued(message: dict[str, Any]) -> date | None:
    """The earliest of `published-print`, `published-online`, `issued` that has a full date."""
    fields = ("published-online", "published-print", "issued", "published")
    dates = [d for d in (_date_parts(message.get(name)) for name in fields) if d is not None]
    return min(dates) if dates else None


def _author(item: Any) -> str:
    if not isinstance(item, dict):
        return ""
    name = " ".join(str(item.get(k) or "").strip() for k in ("given", "family")).strip()
    return name or str(item.get("name") or "").strip()


def parse_work(doi: str, body: Any) -> Lookup | None:
    """A FOUND lookup from a Crossref work envelope, or None when it is not one (any JSON value
    may come: a list, a string, fields of the wrong type are read as missing, never raised)."""
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(body, dict) or body.get("status") != "ok" or not isinstance(message, dict):
        return None
    listed = message.get("author")
    authors = tuple(a for a in (_author(x) for x in (listed if isinstance(listed, list) else [])) if a)
    return Lookup(
        service=SERVICE,
        identifier=doi,
        status=LookupStatus.FOUND,
        title=_first(message.get("title")),
        authors=authors,
        published=_issued(message),
        venue=_first(message.get("container-title")),
        url=f"https://doi.org/{doi}",
    )


class CrossrefClient:
    """DOI metadata from Crossref."""

    def __init__(self, session: PoliteSession, options: OnlineOptions) -> None:
        self.session = session
        self.options = options

    def lookup(self, doi: str) -> Lookup:
        """FOUND with metadata, ABSENT on 404, FAILED otherwise."""
        parsed: dict[str, Lookup] = {}

        def check(response: httpx.Response) -> str | None:
            try:
                work = parse_work(doi, response.json())
            except (ValueError, RecursionError):  # not JSON (or nested past the parser's depth)
                work = None
            if work is None:
                return "not a Crossref work (rate-limit or error body?)"
            parsed["work"] = work
            return None

        url = f"{self.options.crossref_api_url.rstrip('/')}/works/{quote(doi, safe='/')}"
        params = {"mailto": self.options.mailto} if self.options.mailto else None
        outcome = self.session.request("GET", url, params=params, body_check=check)
        if outcome.response is None:
            return Lookup.failed(SERVICE, doi, outcome.failure)
        if outcome.response.status_code == 200:
            return parsed["work"]
        if outcome.response.status_code in (404, 410):
            return Lookup.absent(SERVICE, doi, "Crossref does not hold this DOI")
        return Lookup.failed(SERVICE, doi, f"Crossref answered HTTP {outcome.response.status_code}")
