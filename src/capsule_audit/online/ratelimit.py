"""A minimum-interval rate limiter with an injectable clock and sleep (tests never really wait)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]
Sleep = Callable[[float], None]


@dataclass
class MinIntervalLimiter:
    """At most one call to `wait()` returns per `interval` seconds (one connection, in order)."""

    interval: float
    clock: Clock = time.monotonic
    sleep: Sleep = time.sleep
    _last: float | None = field(default=None, init=False)

    def due_in(self) -> float:
        """Seconds until the next request may go (0 when it may go now)."""
        if self._last is None:
            return 0.0
        return max(0.0, self._last + self.interval - self.clock())

    def wait(self) -> float:
        """Block until the next request may go; returns the seconds waited."""
        now = self.clock()
        waited = 0.0
        if self._last is not None:
            due = self._last + self.interval
            if now < due:
                waited = due - now
                self.sleep(waited)
                now = self.clock()
        self._last = now
        return waited


@dataclass
class FakeClock:
    """A clock whose `sleep` advances time instantly and records every delay (for tests)."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        """Advance the clock instead of waiting."""
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)
