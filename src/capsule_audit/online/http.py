"""One polite HTTP path for every service: timeouts, a user agent, rate limits and retries.

Retries use exponential back-off with jitter (an injectable RNG) on 429 (honouring Retry-After),
5xx, timeouts and dropped connections, and on a 200 whose body the caller rejects (Forge's
throttling body, malformed XML). A request that runs out of attempts is a failed outcome, never
an exception: the verdict is then `unverifiable`.

Every answer is bounded: its body is streamed within a size cap and a per-request deadline
(`capsule_audit.online.body`), each service and each host has a circuit breaker, and the run a
budget (`capsule_audit.online.breaker`), so a dead, dripping or flooding service costs a few
requests, and a hanging host one timeout.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from capsule_audit import __version__
from capsule_audit.online.body import BodyRefused, fetch_bounded
from capsule_audit.online.breaker import CircuitBreaker, HostBreakers, RunBudget
from capsule_audit.online.deadline import deadline_transport, request_deadline
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.ratelimit import Clock, MinIntervalLimiter, Sleep

BodyCheck = Callable[[httpx.Response], str | None]
"""Returns why a 200 response must be retried, or None when it is usable."""

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
UNREADABLE = (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError)
"""What reading an odd body may raise: a rejected answer, never the end of the run."""


def user_agent(mailto: str | None) -> str:
    """Identify the tool (and its operator, when given), as arXiv and Crossref ask."""
    contact = f"; mailto:{mailto}" if mailto else ""
    return f"capsule-audit/{__version__} (https://pypi.org/project/capsule-audit/{contact})"


def make_client(options: OnlineOptions, *, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """The one httpx.Client factory: one connection, no redirects followed, bounded timeouts,
    sockets that keep the request deadline (`capsule_audit.online.deadline`)."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    return httpx.Client(
        timeout=httpx.Timeout(min(options.timeout, options.request_deadline)),
        headers={"User-Agent": user_agent(options.mailto)},
        follow_redirects=False,  # a redirect is an answer to judge, not a page to load
        trust_env=options.trust_env,
        limits=limits,
        transport=transport or deadline_transport(limits, trust_env=options.trust_env),
    )


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait between attempts."""

    max_retries: int = 4
    base_delay: float = 1.0
    max_delay: float = 60.0

    def backoff(self, retry: int, rng: random.Random) -> float:
        """Delay before retry number `retry` (0-based): base * 2**retry, jittered to 50-100%."""
        delay = min(self.max_delay, self.base_delay * (2**retry))
        return float(delay * (0.5 + rng.random() / 2))


def retry_after(response: httpx.Response, *, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP-date), if valid."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True)
class Outcome:
    """The final response, or why there is none."""

    response: httpx.Response | None
    failure: str = ""
    attempts: int = 0


@dataclass
class PoliteSession:
    """Rate-limited, retrying requests to one service over one client."""

    client: httpx.Client
    limiter: MinIntervalLimiter
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    rng: random.Random = field(default_factory=random.Random)
    sleep: Sleep | None = None  # None: the limiter's sleep
    requests: int = 0
    breaker: CircuitBreaker = field(default_factory=lambda: CircuitBreaker("service"))
    hosts: HostBreakers = field(default_factory=HostBreakers)  # shared by the run's sessions
    budget: RunBudget | None = None
    deadline: float = 30.0  # seconds per request, first byte sent to last byte read
    max_bytes: int = 16 * 1024 * 1024

    @property
    def clock(self) -> Clock:
        return self.limiter.clock

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        body_check: BodyCheck | None = None,
        min_delay: float = 0.0,
    ) -> Outcome:
        """Send with retries; `min_delay` is a floor on the back-off after a body the check
        rejected (Forge's throttling answer needs 5-10 s), not after a refused connection."""
        sleep = self.sleep or self.limiter.sleep
        failure = ""
        asked: float | None = None  # Retry-After of the last answer
        floor = 0.0  # min_delay, once a body was rejected
        attempts = self.policy.max_retries + 1
        host = self.hosts.of(url)
        for attempt in range(attempts):
            delay = self._delay(attempt - 1, asked, floor) if attempt else 0.0
            refusal = self._refusal(delay, host)
            if refusal:
                why = f"{failure}; {refusal}" if failure else refusal
                return Outcome(response=None, failure=why, attempts=attempt)
            if attempt:
                sleep(delay)
                asked = None
            self.limiter.wait()
            self.requests += 1
            try:
                response = self._send(method, url, params, headers)
            except BodyRefused as exc:  # asking again would bring the same flood or drip
                self.breaker.trip(exc.reason)
                return Outcome(response=None, failure=exc.reason, attempts=attempt + 1)
            except httpx.TimeoutException as exc:  # the host's: asking again costs a timeout again
                failure = f"timeout ({type(exc).__name__})"
                host.trip(failure)
                continue
            except httpx.TransportError as exc:  # resets, refused, no such host, protocol errors
                failure = f"connection error ({type(exc).__name__})"
                host.failure(failure, hard=isinstance(exc, httpx.ConnectError))
                continue
            if response.status_code in RETRY_STATUSES or response.status_code >= 500:
                failure = f"HTTP {response.status_code}"
                asked = retry_after(response)
                self.breaker.failure(failure)
                if asked is not None and asked > self.policy.max_delay:
                    self.breaker.trip(f"HTTP {response.status_code} asking to wait {asked:g} s")
                continue
            if response.status_code == 200 and body_check is not None:
                reason = _checked(body_check, response)
                if reason:
                    failure, floor = reason, min_delay
                    self.breaker.failure(failure)
                    continue
            self.breaker.success()
            host.success()
            return Outcome(response=response, attempts=attempt + 1)
        return Outcome(response=None, failure=f"{failure} after {attempts} attempts", attempts=attempts)

    def _refusal(self, delay: float, host: CircuitBreaker) -> str:
        """Why the next attempt (after `delay` seconds) must not be sent, or ''."""
        if self.breaker.reason is not None:
            return self.breaker.reason
        if host.reason is not None:
            return host.reason
        # The wait before the attempt: the back-off, or the rate limit when that is longer.
        if self.budget is not None and self.budget.remaining() < max(delay, self.limiter.due_in()):
            return self.budget.reason()
        return ""

    def _send(
        self, method: str, url: str, params: Mapping[str, str] | None, headers: Mapping[str, str] | None
    ) -> httpx.Response:
        request = self.client.build_request(method, url, params=params, headers=headers)
        seconds = self.deadline
        if self.budget is not None:
            seconds = min(seconds, max(self.budget.remaining(), 0.0))
        deadline = self.clock() + seconds
        with request_deadline(seconds) as watch:  # real time, on the socket: headers included
            try:
                return fetch_bounded(
                    self.client, request, limit=self.max_bytes, deadline=deadline, clock=self.clock
                )
            except httpx.TimeoutException as exc:
                if watch.passed():
                    raise BodyRefused(
                        "answer still arriving at the request deadline (cut off)", slow=True
                    ) from exc
                raise

    def _delay(self, retry: int, asked: float | None, floor: float) -> float:
        """Back-off for this retry; Retry-After wins when longer, capped at max_delay."""
        delay = max(self.policy.backoff(retry, self.rng), floor * (2**retry) if floor else 0.0)
        if asked is not None:
            delay = max(delay, asked)
        return min(delay, self.policy.max_delay)


def _checked(body_check: BodyCheck, response: httpx.Response) -> str | None:
    """The body check's verdict; a body that makes the parser stumble is rejected, not raised."""
    try:
        return body_check(response)
    except UNREADABLE as exc:
        return f"unreadable answer ({type(exc).__name__})"


def open_session(
    service: str,
    client: httpx.Client,
    options: OnlineOptions,
    *,
    interval: float,
    clock: Clock,
    sleep: Sleep,
    rng: random.Random,
    budget: RunBudget | None = None,
    hosts: HostBreakers | None = None,
) -> PoliteSession:
    """A session for one service with the options' retries, limits, breaker and deadline;
    `hosts`: the host breakers it shares with the run's other sessions (else its own)."""
    return PoliteSession(
        client,
        MinIntervalLimiter(interval, clock=clock, sleep=sleep),
        RetryPolicy(options.max_retries, options.backoff_base, options.backoff_max),
        rng,
        breaker=CircuitBreaker(service, options.breaker_failures, options.breaker_hard_failures),
        budget=budget,
        hosts=hosts or HostBreakers(options.breaker_failures, options.breaker_hard_failures),
        deadline=options.request_deadline,
        max_bytes=options.max_response_bytes,
    )
