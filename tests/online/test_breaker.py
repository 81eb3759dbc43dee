"""The circuit breaker per service and the run budget."""

from __future__ import annotations

import random

import httpx

from capsule_audit.online.breaker import CircuitBreaker, RunBudget
from capsule_audit.online.http import PoliteSession, RetryPolicy, make_client
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.ratelimit import FakeClock, MinIntervalLimiter


def test_soft_failures_open_the_breaker_after_the_threshold_and_success_resets() -> None:
    breaker = CircuitBreaker("arxiv", failures=3, hard_failures=2)
    breaker.failure("HTTP 503")
    breaker.failure("HTTP 503")
    breaker.success()
    breaker.failure("HTTP 503")
    breaker.failure("HTTP 503")
    assert not breaker.is_open
    breaker.failure("timeout")
    assert breaker.is_open and breaker.reason is not None and "timeout" in breaker.reason


def test_hard_failures_open_it_sooner_and_only_in_a_row() -> None:
    breaker = CircuitBreaker("crossref", failures=10, hard_failures=2)
    breaker.failure("refused", hard=True)
    breaker.failure("HTTP 503")  # a soft failure between: the hard run starts again
    breaker.failure("refused", hard=True)
    assert not breaker.is_open
    breaker.failure("refused", hard=True)
    assert breaker.is_open


def test_the_first_reason_is_kept() -> None:
    breaker = CircuitBreaker("doi.org")
    breaker.trip("asked to wait 120 s")
    breaker.trip("something else")
    assert breaker.reason is not None and "120 s" in breaker.reason


def test_the_budget_counts_from_its_first_use() -> None:
    clock = FakeClock(now=100.0)
    budget = RunBudget(10.0, clock)
    assert budget.remaining() == 10.0
    clock.sleep(4.0)
    assert budget.remaining() == 6.0
    assert RunBudget(None, clock).remaining() == float("inf")


def test_a_long_retry_after_opens_the_breaker_at_once() -> None:
    sent: list[str] = []

    def busy(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(429, headers={"Retry-After": "120"})

    clock = FakeClock()
    client = make_client(OnlineOptions(trust_env=False), transport=httpx.MockTransport(busy))
    limiter = MinIntervalLimiter(0.0, clock=clock, sleep=clock.sleep)
    session = PoliteSession(client, limiter, RetryPolicy(4, 1.0, 60.0), random.Random(1))
    outcome = session.request("GET", "http://x/")
    assert outcome.response is None and "120 s" in outcome.failure
    assert len(sent) == 1 and clock.sleeps == []  # neither a wait of 120 s nor a retry sooner
    assert session.request("GET", "http://x/").attempts == 0 and len(sent) == 1


def test_the_budget_stops_retries_that_would_outlast_it() -> None:
    sent: list[str] = []

    def down(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(503)

    clock = FakeClock()
    client = make_client(OnlineOptions(trust_env=False), transport=httpx.MockTransport(down))
    limiter = MinIntervalLimiter(0.0, clock=clock, sleep=clock.sleep)
    session = PoliteSession(
        client,
        limiter,
        RetryPolicy(20, 1.0, 8.0),
        random.Random(1),
        breaker=CircuitBreaker("x", failures=100),
        budget=RunBudget(10.0, clock),
    )
    outcome = session.request("GET", "http://x/")
    assert outcome.response is None and "budget" in outcome.failure
    assert clock.now <= 10.0 and 2 <= len(sent) < 21
    clock.sleep(10.0)
    asked = len(sent)
    assert session.request("GET", "http://x/").attempts == 0 and len(sent) == asked  # spent: none sent
