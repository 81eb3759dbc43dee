"""doi.org registration checks: the redirect is the answer and is never followed."""

from __future__ import annotations

import random

import pytest

from capsule_audit.online.doiorg import DoiResolverClient
from capsule_audit.online.http import PoliteSession, RetryPolicy, make_client
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.ratelimit import FakeClock, MinIntervalLimiter
from capsule_audit.online.results import LookupStatus
from tests.online.fake_services import FakeServices

pytestmark = pytest.mark.loopback_network


def client(services: FakeServices) -> DoiResolverClient:
    options = OnlineOptions(doi_resolver_url=f"{services.base}/doi", trust_env=False, timeout=0.5)
    clock = FakeClock()
    limiter = MinIntervalLimiter(0.0, clock=clock, sleep=clock.sleep)
    return DoiResolverClient(
        PoliteSession(make_client(options), limiter, RetryPolicy(2), random.Random(1)), options
    )


def test_registered_doi_is_found_without_following_the_redirect(services: FakeServices) -> None:
    # The Location is publisher.invalid: following it would trip the network guard.
    services.registered.add("10.5281/zenodo.123")
    found = client(services).lookup("10.5281/zenodo.123")
    assert found.status is LookupStatus.FOUND and found.url == "http://publisher.invalid/10.5281/zenodo.123"
    assert found.title is None and [m for _, m, _ in services.requests] == ["HEAD"]


def test_unknown_doi_is_absent(services: FakeServices) -> None:
    assert client(services).lookup("10.1038/s41563-026-01234-3").status is LookupStatus.ABSENT


def test_a_resolver_that_keeps_failing_gives_a_failed_lookup(services: FakeServices) -> None:
    services.permanent["doi"] = "reset"
    assert client(services).lookup("10.1/x").status is LookupStatus.FAILED
