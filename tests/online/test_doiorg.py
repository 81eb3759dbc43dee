"""doi.org registration checks through the handle system's REST API (`/api/handles/{doi}`).

Only the handle system's own "not found" (HTTP 404 with `responseCode` 100) proves a DOI absent;
a 404 page from anything else (a proxy, a portal) proves nothing.
"""

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


def test_registered_doi_is_found_with_its_landing_page_never_loaded(services: FakeServices) -> None:
    # The URL is publisher.invalid: loading it would trip the network guard.
    services.registered.add("10.5281/zenodo.123")
    found = client(services).lookup("10.5281/zenodo.123")
    assert found.status is LookupStatus.FOUND and found.url == "http://publisher.invalid/10.5281/zenodo.123"
    assert found.title is None
    assert [t for _, _, t in services.requests] == ["/doi/api/handles/10.5281/zenodo.123"]


def test_unknown_doi_is_absent_on_the_handle_systems_not_found(services: FakeServices) -> None:
    absent = client(services).lookup("10.1038/s41563-026-01234-3")
    assert absent.status is LookupStatus.ABSENT and "handle system" in absent.detail


@pytest.mark.parametrize(
    "answer",
    [
        "html-404",  # a proxy's or portal's 404 page
        'json-404:{"responseCode": 2, "message": "error"}',  # not "handle not found"
        'json-404:{"responseCode": 100, "handle": "10.9999/another"}',  # about another DOI
        "json-404:[100]",
        "html-200",
        'json:{"responseCode": 1}',  # found, but not this handle's record: no handle echoed
        "redirect-loop",
    ],
)
def test_an_answer_that_is_not_the_handle_systems_proves_nothing(services: FakeServices, answer: str) -> None:
    services.permanent["doi"] = answer
    failed = client(services).lookup("10.1038/s41563-026-01234-3")
    assert failed.status is LookupStatus.FAILED, failed


def test_a_resolver_that_keeps_failing_gives_a_failed_lookup(services: FakeServices) -> None:
    services.permanent["doi"] = "reset"
    assert client(services).lookup("10.1/x").status is LookupStatus.FAILED
