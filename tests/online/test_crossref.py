"""Crossref work lookups."""

from __future__ import annotations

import random
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from capsule_audit.online.crossref import CrossrefClient, parse_work
from capsule_audit.online.http import PoliteSession, RetryPolicy, make_client
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.ratelimit import FakeClock, MinIntervalLimiter
from capsule_audit.online.results import LookupStatus
from tests.online.fake_services import FakeServices, crossref_work

DOI = "10.1038/s41563-026-01234-3"


def client(services: FakeServices, mailto: str | None = "ed@example.org") -> CrossrefClient:
    options = OnlineOptions(crossref_api_url=services.base, trust_env=False, timeout=0.5, mailto=mailto)
    clock = FakeClock()
    limiter = MinIntervalLimiter(options.crossref_interval, clock=clock, sleep=clock.sleep)
    return CrossrefClient(
        PoliteSession(make_client(options), limiter, RetryPolicy(2), random.Random(1)), options
    )


def test_parse_work_reads_title_venue_date_and_authors() -> None:
    work = crossref_work(DOI, "Strain  engineering of\n perovskites", (2026, 4, 10), "Nature Materials")
    found = parse_work(DOI, {"status": "ok", "message": work})
    assert found is not None and found.status is LookupStatus.FOUND
    assert (found.title, found.venue, found.published) == (
        "Strain engineering of perovskites",
        "Nature Materials",
        date(2026, 4, 10),
    )
    assert found.authors == ("Ada Lovelace",)
    assert parse_work(DOI, {"error": "Rate limit exceeded"}) is None


@pytest.mark.parametrize(
    "body",
    [[], "ok", 5, None, {"status": "ok", "message": []}, {"status": "ok", "message": "work"}],
)
def test_parse_work_of_a_body_that_is_no_work_is_none(body: object) -> None:
    assert parse_work(DOI, body) is None


@pytest.mark.parametrize(
    "odd",
    [
        {"issued": {"date-parts": {"0": [2026, 4, 10]}}},
        {"issued": "2026-04-10"},
        {"issued": {"date-parts": [[]]}},
        {"issued": {"date-parts": [["2026", None]]}},
        {"issued": {"date-parts": [[10**30]]}},
        {"published-online": {"date-parts": "2026"}},
        {"author": 5},
        {"author": [5, None, {"given": None, "family": 7}]},
        {"title": "not a list", "container-title": [3]},
    ],
)
def test_parse_work_reads_odd_fields_as_missing_without_raising(odd: dict[str, object]) -> None:
    work = {**crossref_work(DOI, "A Title", (2026, 4, 10), "Nature Materials"), "issued": None, **odd}
    found = parse_work(DOI, {"status": "ok", "message": work})
    assert found is not None and found.status is LookupStatus.FOUND
    assert found.published is None or found.published == date(2026, 1, 1)


def test_polite_pool_interval_depends_on_mailto() -> None:
    assert OnlineOptions(mailto="ed@example.org").crossref_interval == 0.1
    assert OnlineOptions().crossref_interval == 0.2


@pytest.mark.loopback_network
def test_found_absent_and_mailto(services: FakeServices) -> None:
    services.works[DOI] = crossref_work(
        DOI, "Strain engineering of perovskites", (2026, 4, 10), "Nature Materials"
    )
    cr = client(services)
    assert cr.lookup(DOI).title == "Strain engineering of perovskites"
    assert parse_qs(urlsplit(services.requests[0][2]).query)["mailto"] == ["ed@example.org"]
    assert cr.lookup("10.1038/s41586-026-00000-0").status is LookupStatus.ABSENT


@pytest.mark.loopback_network
def test_error_bodies_are_retried_then_failed(services: FakeServices) -> None:
    services.works[DOI] = crossref_work(DOI, "Title", (2026, 4, 10), "Nature Materials")
    services.queue("works", "ratelimit-body", "malformed")
    assert client(services).lookup(DOI).status is LookupStatus.FOUND
    services.permanent["works"] = "503"
    failed = client(services, mailto=None).lookup(DOI)
    assert failed.status is LookupStatus.FAILED and "HTTP 503" in failed.detail
