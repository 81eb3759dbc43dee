"""Retries, back-off and Retry-After of the shared HTTP path."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import httpx
import pytest

from capsule_audit.online.http import PoliteSession, RetryPolicy, make_client, retry_after, user_agent
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.ratelimit import FakeClock, MinIntervalLimiter
from tests.online.fake_services import FakeServices


def session(options: OnlineOptions, clock: FakeClock, retries: int = 3) -> PoliteSession:
    limiter = MinIntervalLimiter(0.0, clock=clock, sleep=clock.sleep)
    return PoliteSession(make_client(options), limiter, RetryPolicy(retries, 1.0, 30.0), random.Random(3))


def test_retry_after_reads_seconds_and_http_dates() -> None:
    def response(value: str) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": value})

    now = datetime(2026, 4, 20, 12, 0, 0, tzinfo=UTC)
    assert retry_after(response("7")) == 7.0
    assert retry_after(response("Mon, 20 Apr 2026 12:00:30 GMT"), now=now) == 30.0
    assert retry_after(response("soon")) is None
    assert retry_after(httpx.Response(429)) is None


def test_backoff_doubles_with_jitter_and_a_cap() -> None:
    policy = RetryPolicy(max_retries=5, base_delay=1.0, max_delay=5.0)
    rng = random.Random(0)
    delays = [policy.backoff(n, rng) for n in range(5)]
    for n, delay in enumerate(delays):
        full = min(5.0, 2.0**n)
        assert full / 2 <= delay <= full
    again = random.Random(0)
    assert delays == [policy.backoff(n, again) for n in range(5)]  # a seeded RNG repeats itself
    assert len(set(delays[:3])) == 3


def test_user_agent_names_the_tool_and_contact() -> None:
    assert user_agent("ed@example.org").startswith("capsule-audit/")
    assert "mailto:ed@example.org" in user_agent("ed@example.org")


def test_failures_without_network_become_an_outcome_not_an_exception() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    clock = FakeClock()
    options = OnlineOptions(trust_env=False)
    limiter = MinIntervalLimiter(0.0, clock=clock, sleep=clock.sleep)
    client = make_client(options, transport=httpx.MockTransport(refuse))
    polite = PoliteSession(client, limiter, RetryPolicy(2, 1.0, 30.0), random.Random(1))
    # Refused three times in a row: retrying seldom mends that, the host's breaker opens.
    polite.policy = RetryPolicy(5, 1.0, 30.0)
    outcome = polite.request("GET", "http://x/")
    assert outcome.response is None and "ConnectError" in outcome.failure and outcome.attempts == 3
    assert len(clock.sleeps) == 2 and polite.hosts.of("http://x/other").is_open
    assert not polite.breaker.is_open and not polite.hosts.of("http://y/").is_open
    again = polite.request("GET", "http://x/elsewhere")
    assert again.response is None and again.attempts == 0 and polite.requests == 3


@pytest.mark.loopback_network
def test_retry_after_is_honoured(services: FakeServices) -> None:
    clock = FakeClock()
    services.queue("api", "429-after:7")
    outcome = session(OnlineOptions(trust_env=False, timeout=1), clock).request(
        "GET", f"{services.base}/api/query"
    )
    assert outcome.response is not None and outcome.response.status_code == 200
    assert outcome.attempts == 2 and clock.sleeps and clock.sleeps[0] >= 7.0


@pytest.mark.loopback_network
def test_a_timeout_opens_the_hosts_breaker_at_once(services: FakeServices) -> None:
    """Another attempt at a host that let the timeout pass would cost a whole timeout again."""
    clock = FakeClock()
    services.stall_seconds = 0.4
    services.queue("api", "timeout")
    polite = session(OnlineOptions(trust_env=False, timeout=0.1), clock)
    outcome = polite.request("GET", f"{services.base}/api/query")
    assert outcome.response is None and "ReadTimeout" in outcome.failure and outcome.attempts == 1
    assert "not asked again" in outcome.failure and clock.sleeps == []
    again = polite.request("GET", f"{services.base}/works/10.1000/x")  # another path, the same host
    assert again.response is None and again.attempts == 0 and services.count() == 1


@pytest.mark.loopback_network
@pytest.mark.parametrize("fault", ["reset", "429", "503"])
def test_transient_faults_are_retried(services: FakeServices, fault: str) -> None:
    clock = FakeClock()
    services.queue("api", fault, fault)
    outcome = session(OnlineOptions(trust_env=False, timeout=0.3), clock).request(
        "GET", f"{services.base}/api/query"
    )
    assert outcome.response is not None and outcome.response.status_code == 200
    assert outcome.attempts == 3 and services.count("api") == 3


@pytest.mark.loopback_network
def test_rejected_bodies_are_retried_until_attempts_run_out(services: FakeServices) -> None:
    clock = FakeClock()
    services.permanent["api"] = "ratelimit-body"
    outcome = session(OnlineOptions(trust_env=False, timeout=1), clock, retries=2).request(
        "GET",
        f"{services.base}/api/query",
        body_check=lambda r: "throttled" if b"Rate limit" in r.content else None,
        min_delay=5.0,
    )
    assert outcome.response is None and outcome.failure == "throttled after 3 attempts"
    assert services.count("api") == 3
    assert clock.sleeps[0] >= 5.0 and clock.sleeps[1] >= 10.0  # the floor doubles too
