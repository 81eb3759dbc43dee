"""arXiv lookups: batched `id_list` queries and title searches through the export API.

The API returns results in any order (indexed here by ID), answers a malformed ID with HTTP 400
and an error entry (the batch is split until the bad ID stands alone), and returns empty feeds at
random: an ID counts as absent only when feeds that returned other papers lacked it, again and
again. Anything else (empty feeds only, a 400 without arXiv's error entry, a broken feed) leaves
it unverifiable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from enum import Enum

import httpx
from rapidfuzz import fuzz, utils

from capsule_audit.online.atom import Entry, Feed, MalformedFeed, parse_feed
from capsule_audit.online.http import UNREADABLE, PoliteSession
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


class _Miss(Enum):
    """An ID a well-formed feed did not hold: proof of absence only if the feed held papers."""

    PROVEN = "missing from a feed that returned other papers"
    UNPROVEN = "missing from an empty feed (arXiv returns those at random)"


def _settled_miss(arxiv_id: str, miss: _Miss, times: int) -> Lookup:
    """ABSENT after `times` proving misses; FAILED after as many empty feeds."""
    if miss is _Miss.PROVEN:
        return Lookup.absent(SERVICE, arxiv_id, f"no such paper ({miss.value}, {times} times)")
    return Lookup.failed(SERVICE, arxiv_id, f"{miss.value}, {times} times: not proven absent")


class ArxivClient:
    """ID and title lookups over one polite session.

    `witness` is a paper arXiv returned in this run (or, until there is one, the options'
    `arxiv_control_id`): it is asked for beside IDs missing from earlier feeds, so the feed that
    lacks them is known to be a working answer. `answering` says some feed held a paper.
    """

    def __init__(self, session: PoliteSession, options: OnlineOptions) -> None:
        self.session = session
        self.options = options
        self.witness: str | None = None
        self.answering = False

    def _get(self, params: dict[str, str]) -> tuple[int, Feed | None, str]:
        """(status, feed, failure): a 200 feed, a 400 error feed, or a failure reason."""
        parsed: dict[str, Feed] = {}

        def check(response: httpx.Response) -> str | None:
            try:
                feed = parse_feed(response.content)
            except MalformedFeed as exc:
                return f"malformed feed ({exc})"
            held = len(feed.entries) + len(feed.errors)
            # An id_list feed is never paged: a larger total means papers went missing.
            if "id_list" in params and feed.total_results is not None and feed.total_results > held:
                return f"feed announces {feed.total_results} papers but holds {len(feed.entries)}"
            parsed["feed"] = feed
            return None

        outcome = self.session.request("GET", self.options.arxiv_api_url, params=params, body_check=check)
        response = outcome.response
        if response is None:
            return 0, None, outcome.failure
        if response.status_code == 200:
            return 200, parsed["feed"], ""
        if response.status_code == 400:
            try:
                feed = parse_feed(response.content)
            except (MalformedFeed, *UNREADABLE):
                feed = None
            if feed is not None and feed.errors:
                return 400, feed, ""
            return 400, None, "HTTP 400 without arXiv's error entry (not a verdict on the ID)"
        return response.status_code, None, f"HTTP {response.status_code}"

    def lookup(self, ids: Sequence[str], *, progress: Progress | None = None) -> dict[str, Lookup]:
        """One Lookup per distinct ID (without version), FAILED at worst.

        An ID is ABSENT only once it was missing from `arxiv_empty_confirmations + 1` feeds that
        returned other papers; as many empty feeds instead leave it FAILED (unverifiable).
        """
        needed = self.options.arxiv_empty_confirmations + 1
        misses = {arxiv_id: {_Miss.PROVEN: 0, _Miss.UNPROVEN: 0} for arxiv_id in sorted(set(ids))}
        results: dict[str, Lookup] = {}
        while misses:
            pending = sorted(misses)
            asked_before = any(sum(m.values()) for m in misses.values())
            witness = self.witness or (self.options.arxiv_control_id if asked_before else None)
            size = self.options.arxiv_batch_size
            for start in range(0, len(pending), size):
                for arxiv_id, answer in self._batch(pending[start : start + size], witness).items():
                    if isinstance(answer, _Miss):
                        misses[arxiv_id][answer] += 1
                        if misses[arxiv_id][answer] < needed:
                            continue
                        answer = _settled_miss(arxiv_id, answer, needed)
                    results[arxiv_id] = answer
                    del misses[arxiv_id]
                    if progress is not None:
                        progress(1)
        return results

    def _batch(self, batch: list[str], witness: str | None) -> dict[str, Lookup | _Miss]:
        """Look up a batch (with the witness beside it, if any)."""
        ask = [*batch, witness] if witness and witness not in batch else batch
        status, feed, failure = self._get({"id_list": ",".join(ask), "max_results": str(len(ask))})
        if status == 400 and feed is not None:  # arXiv's own error entry: some ID is malformed
            if len(batch) == 1:
                why = "; ".join(feed.errors)
                return {batch[0]: Lookup.absent(SERVICE, batch[0], f"arXiv rejects the identifier: {why}")}
            half = len(batch) // 2
            return {**self._batch(batch[:half], witness), **self._batch(batch[half:], witness)}
        if feed is None:
            return {i: Lookup.failed(SERVICE, i, failure or "no answer") for i in batch}
        by_id = {entry.arxiv_id.lower(): entry for entry in feed.entries}
        if feed.entries:
            self.answering = True
            self.witness = self.witness or min(entry.arxiv_id for entry in feed.entries)
        proven = bool(feed.entries) and feed.total_results == len(feed.entries) + len(feed.errors)
        if witness and witness not in batch and witness.lower() not in by_id:
            proven = False  # a feed without a paper arXiv holds proves nothing
        miss = _Miss.PROVEN if proven else _Miss.UNPROVEN
        return {i: (_found(SERVICE, i, by_id[i.lower()]) if i.lower() in by_id else miss) for i in batch}

    def search_title(self, title: str) -> Lookup:
        """The best title match for a quoted title, with its score in `detail`; ABSENT when every
        answer was empty. Empty answers are trusted only from an arXiv that returned a paper in
        this run: if none did yet, the control paper is asked for first (FAILED without it)."""
        if not self.answering and not self._probe():
            control = self.options.arxiv_control_id
            return Lookup.failed(TITLE_SERVICE, title, f"arXiv did not return the control paper {control}")
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

    def _probe(self) -> bool:
        """Ask for the control paper until arXiv returns it (then it is `answering`); after
        `arxiv_empty_confirmations + 1` feeds without it, arXiv is not asked again in this run."""
        control = self.options.arxiv_control_id
        tries = self.options.arxiv_empty_confirmations + 1
        for _ in range(tries):
            status, feed, _ = self._get({"id_list": control, "max_results": "1"})
            if status != 200 or feed is None:
                return False  # a failure, counted by the session's breaker
            if control.lower() in {entry.arxiv_id.lower() for entry in feed.entries}:
                self.answering = True
                self.witness = self.witness or control
                return True
        self.session.breaker.trip(f"{tries} feeds without the control paper {control}: they prove nothing")
        return False
