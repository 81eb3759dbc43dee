"""Give up on a failing service quickly: a circuit breaker per service and a budget per run.

A service that keeps failing is not asked again in the same run. The breaker opens after
`failures` failed attempts in a row; after `hard_failures` in a row of the kind retrying seldom
mends (connection refused, no such host, timeouts); at once when an answer had to be cut off
(past the request deadline or the size cap); or at once when the service asks for a wait longer
than we would ever make (a long Retry-After).
Every later request to that service then fails at once. A run budget bounds the whole online
step the same way: once spent, no request is sent. Either way the identifiers left become
`unverifiable`, never `fabricated`.
"""

from __future__ import annotations

from dataclasses import dataclass

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
