"""arXiv lookups: batched `id_list` queries and title searches through the export API.

The API returns results in any order (indexed here by ID), answers a malformed ID with HTTP 400
(the batch is split until the bad ID stands alone), and returns empty feeds at random: an ID
missing from a feed is asked for again before it counts as absent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import httpx
from rapidfuzz import fuzz, utils

from capsule_audit.online.atom import Entry, Feed, MalformedFeed, parse_feed
from capsule_audit.online.http import PoliteSession
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.results import Lookup, LookupStatus

SERVICE = "arxiv"
TITLE_SERVICE = "arxiv-title-search"
_QUERY_UNSAFE = re.compile(r"[\"():\[\]{}\\]+")

Progress = Callable[[int], None]
"""Called with the number of identifiers just settled."""


def title_score(quoted: str, found: str) -> float:
    """Similarity (0-100) of a quoted title and a paper's title, order-insensitive."""
    return float(fuzz.token_sort_ratio(quoted, found, processor=utils.default_process))


def _found(service: str, identifier: str, entry: Entry, detail: str = "") -> Lookup:
    return Lookup(
        service=service,
        identifier=identifier,
        status=LookupStatus.FOUND,
        title=entry.title,
        authors=entry.authors,
        affiliations=entry.affiliations,
        published=entry.published,
        url=f"https://arxiv.org/abs/{entry.arxiv_id}",
        detail=detail,
    )


class ArxivClient:
    """ID and title lookups over one polite session."""

    def __init__(self, session: PoliteSession, options: OnlineOptions) -> None:
        self.session = session
        self.options = options

    def _get(self, params: dict[str, str]) -> tuple[int, Feed | None, str]:
        """(status, feed, failure): a 200 feed, a 400 error feed, or a failure reason."""
        parsed: dict[str, Feed] = {}

        def check(response: httpx.Response) -> str | None:
            try:
                parsed["feed"] = parse_feed(response.content)
            except MalformedFeed as exc:
                return f"malformed feed ({exc})"
            return None

        outcome = self.session.request("GET", self.options.arxiv_api_url, params=params, body_check=check)
        response = outcome.response
        if response is None:
            return 0, None, outcome.failure
        if response.status_code == 200:
            return 200, parsed["feed"], ""
        if response.status_code == 400:
            try:
                return 400, parse_feed(response.content), ""
            except MalformedFeed:
                return 400, None, ""
        return response.status_code, None, f"HTTP {response.status_code}"

    def lookup(self, ids: Sequence[str], *, progress: Progress | None = None) -> dict[str, Lookup]:
        """One Lookup per distinct ID (without version), FAILED at worst."""
        misses = dict.fromkeys(sorted(set(ids)), 0)  # ID -> empty answers so far
        results: dict[str, Lookup] = {}
        while misses:
            pending = sorted(misses)
            size = self.options.arxiv_batch_size
            for start in range(0, len(pending), size):
                batch = pending[start : start + size]
                for arxiv_id, lookup in self._batch(batch).items():
                    if lookup is None:
                        misses[arxiv_id] += 1
                        if misses[arxiv_id] <= self.options.arxiv_empty_confirmations:
                            continue
                        lookup = Lookup.absent(
                            SERVICE, arxiv_id, f"no such paper (empty answer {misses[arxiv_id]} times)"
                        )
                    results[arxiv_id] = lookup
                    del misses[arxiv_id]
                    if progress is not None:
                        progress(1)
        return results

    def _batch(self, batch: list[str]) -> dict[str, Lookup | None]:
        """Look up a batch; None marks an ID missing from a valid feed."""
        status, feed, failure = self._get({"id_list": ",".join(batch), "max_results": str(len(batch))})
        if status == 400:
            if len(batch) == 1:
                why = "; ".join(feed.errors) if feed and feed.errors else "HTTP 400"
                return {batch[0]: Lookup.absent(SERVICE, batch[0], f"arXiv rejects the identifier: {why}")}
            half = len(batch) // 2
            return {**self._batch(batch[:half]), **self._batch(batch[half:])}
        if feed is None:
            return {i: Lookup.failed(SERVICE, i, failure or "no answer") for i in batch}
        by_id = {entry.arxiv_id.lower(): entry for entry in feed.entries}
        return {i: (_found(SERVICE, i, by_id[i.lower()]) if i.lower() in by_id else None) for i in batch}

    def search_title(self, title: str) -> Lookup:
        """The best title match for a quoted title, with its score in `detail`; ABSENT when none."""
        words = _QUERY_UNSAFE.sub(" ", title).split()
        params = {
            "search_query": f'ti:"{" ".join(words)}"',
            "max_results": str(self.options.title_search_results),
        }
        for _ in range(self.options.arxiv_empty_confirmations + 1):
            status, feed, failure = self._get(params)
            if feed is None or status != 200:
                return Lookup.failed(TITLE_SERVICE, title, failure or f"HTTP {status}")
            if feed.entries:
                best = max(feed.entries, key=lambda e: (title_score(title, e.title), e.arxiv_id))
                return _found(TITLE_SERVICE, title, best, f"best of {len(feed.entries)} title matches")
        return Lookup.absent(TITLE_SERVICE, title, "no arXiv paper has this title")
