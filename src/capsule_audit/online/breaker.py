"""Give up on a failing service quickly: circuit breakers per service and per host, a budget per run.

A service that keeps failing is not asked again in the same run. Its breaker opens after
`failures` failed answers in a row; at once when an answer had to be cut off (past the request
deadline or the size cap); or at once when the service asks for a wait longer than we would ever
make (a long Retry-After).

What fails below HTTP belongs to the host, not the service: each host (scheme, name, port) has
its own breaker, shared by every service it serves. It opens after `hard_failures` connections
in a row that could not be made (refused, no such host), after `failures` transport errors in a
row, and at once on a timeout: a host that let the timeout pass without an answer would cost a
whole timeout again for each attempt, target and service, so a hanging host costs one timeout.

Every later request to an open service or host then fails at once. A run budget bounds the whole
online step the same way: once spent, no request is sent. Either way the identifiers left become
`unverifiable`, never `fabricated`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from capsule_audit.online.ratelimit import Clock


@dataclass
class CircuitBreaker:
    """Counts consecutive failures of one service; `reason` is set once it is open."""

    service: str
    failures: int = 5
    hard_failures: int = 3
    reason: str | None = None
    _failed: int = 0
    _hard: int = 0

    @property
    def is_open(self) -> bool:
        """True once the service has failed too often: it is not asked again."""
        return self.reason is not None

    def success(self) -> None:
        """A usable answer: the failure counts start again."""
        self._failed = self._hard = 0

    def failure(self, why: str, *, hard: bool = False) -> None:
        """One failed attempt; opens the breaker when the run of failures is long enough."""
        self._failed += 1
        self._hard = self._hard + 1 if hard else 0
        if self._hard >= self.hard_failures:
            self.trip(f"{why}, {self._hard} times in a row")
        elif self._failed >= self.failures:
            self.trip(f"{self._failed} failed attempts in a row, the last: {why}")

    def trip(self, why: str) -> None:
        """Open the breaker now (the first reason is kept)."""
        if self.reason is None:
            self.reason = f"{self.service} not asked again in this run ({why})"


@dataclass
class HostBreakers:
    """One breaker per host, made on first use; shared by the sessions of one run."""

    failures: int = 5
    hard_failures: int = 3
    _hosts: dict[str, CircuitBreaker] = field(default_factory=dict)

    def of(self, url: str) -> CircuitBreaker:
        """The breaker of the host `url` names (its scheme, name and port)."""
        parts = urlsplit(url)
        host = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        if host not in self._hosts:
            self._hosts[host] = CircuitBreaker(
                parts.netloc.lower() or host, self.failures, self.hard_failures
            )
        return self._hosts[host]


@dataclass
class RunBudget:
    """Seconds the online step may take in all, on an injectable clock; None: no limit."""

    seconds: float | None
    clock: Clock
    _start: float | None = None

    def start(self) -> None:
        """Start counting (at the first request, not when the audit began)."""
        if self._start is None:
            self._start = self.clock()

    def remaining(self) -> float:
        """Seconds left (infinite without a limit)."""
        if self.seconds is None:
            return float("inf")
        self.start()
        assert self._start is not None
        return self.seconds - (self.clock() - self._start)

    def reason(self) -> str:
        """Why a request was not sent."""
        return f"the online run budget of {self.seconds:g} s is spent"
