"""Run the lookups `verify` needs: cache first, then each service over its own polite session.

One httpx client (one connection) is built lazily, on the first request: a run answered wholly
from the cache, or with `cache_only`, never creates a socket.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import httpx

from capsule_audit.online import arxiv, crossref, doiorg
from capsule_audit.online.breaker import HostBreakers, RunBudget
from capsule_audit.online.cache import AnswerCache
from capsule_audit.online.http import UNREADABLE, PoliteSession, make_client, open_session
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.ratelimit import Clock, Sleep
from capsule_audit.online.results import Lookup, LookupStatus

Target = tuple[str, str]


class LookupRunner:
    """Cached, rate-limited lookups of (service, identifier) targets."""

    def __init__(
        self,
        options: OnlineOptions,
        clock: Clock,
        sleep: Sleep,
        rng: random.Random,
        transport: httpx.BaseTransport | None,
        cache: AnswerCache | None,
    ) -> None:
        self.options = options
        self.clock = clock
        self.sleep = sleep
        self.rng = rng
        self.transport = transport
        self.cache = cache
        self._client: httpx.Client | None = None
        self._sessions: dict[str, PoliteSession] = {}
        self._arxiv: arxiv.ArxivClient | None = None
        self._known: str | None = None  # an arXiv ID the cache holds as found
        self.budget = RunBudget(options.run_budget, clock)
        self.hosts = HostBreakers(options.breaker_failures, options.breaker_hard_failures)

    def session(self, service: str) -> PoliteSession:
        """The session of one service (arXiv ID and title lookups share arXiv's limiter and
        breaker); every session shares the run budget and the host breakers (services on one
        host share its fate: a hanging host costs one timeout)."""
        if service == arxiv.TITLE_SERVICE:
            service = arxiv.SERVICE
        if service not in self._sessions:
            if self._client is None:
                self._client = make_client(self.options, transport=self.transport)
            interval = {
                arxiv.SERVICE: self.options.arxiv_min_interval,
                crossref.SERVICE: self.options.crossref_interval,
            }.get(service, self.options.doi_min_interval)
            self._sessions[service] = open_session(
                service,
                self._client,
                self.options,
                interval=interval,
                clock=self.clock,
                sleep=self.sleep,
                rng=self.rng,
                budget=self.budget,
                hosts=self.hosts,
            )
        return self._sessions[service]

    def arxiv_client(self) -> arxiv.ArxivClient:
        """One arXiv client for the run: what one lookup learnt (a witness) serves the next."""
        if self._arxiv is None:
            self._arxiv = arxiv.ArxivClient(self.session(arxiv.SERVICE), self.options)
            self._arxiv.witness = self._known
        return self._arxiv

    @property
    def requests(self) -> int:
        """Requests sent so far, retries included."""
        return sum(s.requests for s in self._sessions.values())

    def close(self) -> None:
        """Close the client, if one was built."""
        if self._client is not None:
            self._client.close()

    def _cached(self, service: str, identifier: str) -> Lookup | None:
        return self.cache.get(service, identifier) if self.cache is not None else None

    def _store(self, lookup: Lookup) -> Lookup:
        if self.cache is not None:
            self.cache.put(lookup)
        return lookup

    def _one(self, service: str, identifier: str, fetch: Callable[[], Lookup]) -> Lookup:
        """A cached answer, a miss under --cache-only, or a fresh (stored) answer."""
        found = self._cached(service, identifier)
        if found is not None:
            return found
        if self.options.cache_only:
            return Lookup.failed(service, identifier, "not in the cache (--cache-only)")
        try:
            return self._store(fetch())
        except UNREADABLE as exc:  # an answer no parser foresaw: this identifier, not the run
            return Lookup.failed(service, identifier, f"could not read the answer ({type(exc).__name__})")

    def _doi(self, doi: str) -> Lookup:
        """Crossref, then doi.org for DOIs Crossref does not hold."""
        found = self._one(
            crossref.SERVICE,
            doi,
            lambda: crossref.CrossrefClient(self.session(crossref.SERVICE), self.options).lookup(doi),
        )
        if found.status is not LookupStatus.ABSENT:
            return found
        resolver = self._one(
            doiorg.SERVICE,
            doi,
            lambda: doiorg.DoiResolverClient(self.session(doiorg.SERVICE), self.options).lookup(doi),
        )
        if resolver.status is LookupStatus.ABSENT:
            return resolver.model_copy(update={"detail": "neither Crossref nor doi.org knows this DOI"})
        return resolver

    def _title(self, title: str) -> Lookup:
        """The arXiv paper whose title best matches a quoted title."""
        return self._one(
            arxiv.TITLE_SERVICE,
            title,
            lambda: self.arxiv_client().search_title(title),
        )

    def _arxiv_ids(self, ids: list[str], settled: Callable[[int], None]) -> dict[str, Lookup]:
        """arXiv's answers for these IDs; FAILED for all on an answer no parser foresaw."""
        try:
            return self.arxiv_client().lookup(ids, progress=settled)
        except UNREADABLE as exc:
            why = f"could not read the answer ({type(exc).__name__})"
            return {i: Lookup.failed(arxiv.SERVICE, i, why) for i in ids}

    def run(
        self, wanted: Sequence[Target], progress: Callable[[int, int], None] | None = None
    ) -> dict[Target, Lookup]:
        """A Lookup for every target, FAILED at worst; `progress(done, total)` after each."""
        total, done = len(wanted), 0
        results: dict[Target, Lookup] = {}

        def settled(count: int = 1) -> None:
            nonlocal done
            done += count
            if progress is not None:
                progress(done, total)

        missing: list[str] = []
        for service, identifier in wanted:
            if service == arxiv.SERVICE:
                hit = self._cached(service, identifier)
                if hit is not None:
                    results[(service, identifier)] = hit
                    if hit.status is LookupStatus.FOUND:  # a known paper: a witness for the rest
                        self._known = self._known or identifier
                    settled()
                else:
                    missing.append(identifier)
        if missing and self.options.cache_only:
            for identifier in missing:
                results[(arxiv.SERVICE, identifier)] = Lookup.failed(
                    arxiv.SERVICE, identifier, "not in the cache (--cache-only)"
                )
            settled(len(missing))
        elif missing:
            for identifier, lookup in self._arxiv_ids(missing, settled).items():
                results[(arxiv.SERVICE, identifier)] = self._store(lookup)
        for service, identifier in wanted:
            if service == crossref.SERVICE:
                results[(service, identifier)] = self._doi(identifier)
            elif service == arxiv.TITLE_SERVICE:
                results[(service, identifier)] = self._title(identifier)
            else:
                continue
            settled()
        return results
