"""doi.org: is a DOI registered at all? For DOIs Crossref does not hold (DataCite, mEDRA, ...).

Crossref's 404 says only that Crossref lacks a DOI; another agency may hold it. The proof of
absence is the handle system's own answer, which doi.org's REST API gives as JSON
(`GET /api/handles/{doi}`, DOI Handbook, "REST API Response Format"): `responseCode` 1 with the
record (HTTP 200) when the DOI is registered, 100 "Handle Not Found" (HTTP 404) when it is not,
each echoing the handle asked. Anything else, a 404 page of a proxy or portal included, proves
nothing: the lookup fails and the DOI stays `unverifiable`. The landing page is never loaded.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx

from capsule_audit.online.http import PoliteSession
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.results import Lookup, LookupStatus

SERVICE = "doi.org"
FOUND_CODES = frozenset({1, 200})  # success; the record exists without the values asked for
NOT_FOUND = 100


def handle_answer(doi: str, response: httpx.Response) -> int | None:
    """The handle system's `responseCode` for `doi`, or None when the body is not its answer
    about this DOI (not JSON, not an object, no integer code, or another handle echoed)."""
    try:
        body: Any = json.loads(response.content)
    except (ValueError, RecursionError):
        return None
    if not isinstance(body, dict):
        return None
    code, handle = body.get("responseCode"), body.get("handle")
    if type(code) is not int or not isinstance(handle, str) or handle.lower() != doi.lower():
        return None
    return code


def landing_page(body: Any) -> str | None:
    """The first URL value of a handle record, if any."""
    values = body.get("values") if isinstance(body, dict) else None
    for value in values if isinstance(values, list) else []:
        if not isinstance(value, dict) or value.get("type") != "URL":
            continue
        data = value.get("data")
        if isinstance(data, dict) and isinstance(data.get("value"), str):
            return str(data["value"])
    return None


class DoiResolverClient:
    """Registration checks against the DOI resolver's handle API."""

    def __init__(self, session: PoliteSession, options: OnlineOptions) -> None:
        self.session = session
        self.options = options

    def lookup(self, doi: str) -> Lookup:
        """FOUND (registered; no metadata), ABSENT on the handle system's "not found", FAILED
        otherwise."""

        def check(response: httpx.Response) -> str | None:
            code = handle_answer(doi, response)
            return None if code in FOUND_CODES else "not the handle system's record of this DOI"

        url = f"{self.options.doi_resolver_url.rstrip('/')}/api/handles/{quote(doi, safe='/')}"
        outcome = self.session.request("GET", url, body_check=check)
        response = outcome.response
        if response is None:
            return Lookup.failed(SERVICE, doi, outcome.failure)
        if response.status_code == 200:
            return Lookup(
                service=SERVICE,
                identifier=doi,
                status=LookupStatus.FOUND,
                url=landing_page(json.loads(response.content)),
                detail="registered at doi.org (no metadata to compare)",
            )
        if response.status_code == 404 and handle_answer(doi, response) == NOT_FOUND:
            return Lookup.absent(SERVICE, doi, "doi.org: the handle system has no such DOI")
        if response.status_code == 404:
            return Lookup.failed(SERVICE, doi, "doi.org answered 404 without the handle system's 'not found'")
        return Lookup.failed(SERVICE, doi, f"doi.org answered HTTP {response.status_code}")
