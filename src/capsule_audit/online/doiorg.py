"""doi.org: is a DOI registered at all? For DOIs Crossref does not hold (DataCite, mEDRA, ...).

The resolver answers a registered DOI with a redirect to the landing page and an unknown one with
404. The redirect is not followed: the publisher's site is not ours to load.
"""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit

from capsule_audit.online.http import PoliteSession
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.results import Lookup, LookupStatus

SERVICE = "doi.org"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def _same_place(url: str, location: str) -> bool:
    """Whether a redirect points back at the address asked (scheme aside): no registration."""
    there = urlsplit(urljoin(url, location.strip()))
    here = urlsplit(url)
    return (there.netloc.lower(), there.path.rstrip("/")) == (here.netloc.lower(), here.path.rstrip("/"))


class DoiResolverClient:
    """Registration checks against the DOI resolver."""

    def __init__(self, session: PoliteSession, options: OnlineOptions) -> None:
        self.session = session
        self.options = options

    def lookup(self, doi: str) -> Lookup:
        """FOUND (registered; no metadata), ABSENT on 404, FAILED otherwise."""
        url = f"{self.options.doi_resolver_url.rstrip('/')}/{quote(doi, safe='/')}"
        outcome = self.session.request("HEAD", url)
        if outcome.response is not None and outcome.response.status_code in (403, 405, 501):
            outcome = self.session.request("GET", url)  # a resolver that refuses HEAD
        response = outcome.response
        if response is None:
            return Lookup.failed(SERVICE, doi, outcome.failure)
        if response.status_code in _REDIRECTS and _same_place(url, response.headers.get("Location", "")):
            return Lookup.failed(SERVICE, doi, "doi.org redirected to the DOI's own address (a loop)")
        if response.status_code in _REDIRECTS:
            return Lookup(
                service=SERVICE,
                identifier=doi,
                status=LookupStatus.FOUND,
                url=response.headers.get("Location"),
                detail="registered at doi.org (no metadata to compare)",
            )
        if response.status_code in (404, 410):
            return Lookup.absent(SERVICE, doi, "doi.org: DOI not found")
        return Lookup.failed(SERVICE, doi, f"doi.org answered HTTP {response.status_code}")
