"""The minimum-interval limiter, on a fake clock."""

from __future__ import annotations

from capsule_audit.online.ratelimit import FakeClock, MinIntervalLimiter


def test_first_call_does_not_wait_and_later_calls_keep_the_interval() -> None:
    clock = FakeClock()
    limiter = MinIntervalLimiter(3.0, clock=clock, sleep=clock.sleep)
    assert limiter.wait() == 0.0
    assert limiter.wait() == 3.0
    clock.now += 1.0  # work done between requests counts toward the interval
    assert limiter.wait() == 2.0
    assert clock.sleeps == [3.0, 2.0] and clock.now == 6.0


def test_no_wait_once_the_interval_has_passed() -> None:
    clock = FakeClock()
    limiter = MinIntervalLimiter(0.5, clock=clock, sleep=clock.sleep)
    limiter.wait()
    clock.now += 10
    assert limiter.wait() == 0.0 and clock.sleeps == []
