"""Batched arXiv ID lookups and title search against the local server."""

from __future__ import annotations

import random
from urllib.parse import parse_qs, urlsplit

import pytest

from capsule_audit.online.arxiv import ArxivClient, title_score
from capsule_audit.online.http import PoliteSession, RetryPolicy, make_client
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.ratelimit import FakeClock, MinIntervalLimiter
from capsule_audit.online.results import LookupStatus
from tests.online.fake_services import FakeServices, Paper

pytestmark = pytest.mark.loopback_network


def client(services: FakeServices, **overrides: object) -> ArxivClient:
    options = OnlineOptions.model_validate(
        {"arxiv_api_url": f"{services.base}/api/query", "trust_env": False, "timeout": 0.5, **overrides}
    )
    clock = FakeClock()
    limiter = MinIntervalLimiter(options.arxiv_min_interval, clock=clock, sleep=clock.sleep)
    session = PoliteSession(make_client(options), limiter, RetryPolicy(2, 1.0, 10.0), random.Random(1))
    return ArxivClient(session, options)


def serve(services: FakeServices, *ids: str) -> None:
    for n, arxiv_id in enumerate(ids):
        services.papers[arxiv_id] = Paper(arxiv_id, f"Paper number {n}", "2026-04-02")


def test_many_ids_go_in_one_request_and_come_back_indexed(services: FakeServices) -> None:
    ids = [f"2604.0{n:04d}" for n in range(1, 21)]
    serve(services, *ids)
    results = client(services).lookup(ids)
    assert services.count("api") == 1
    assert {k: v.title for k, v in results.items()} == {i: services.papers[i].title for i in ids}


def test_batches_are_split_by_size(services: FakeServices) -> None:
    ids = [f"2604.0{n:04d}" for n in range(1, 8)]
    serve(services, *ids)
    results = client(services, arxiv_batch_size=3).lookup(ids)
    assert services.count("api") == 3 and all(r.status is LookupStatus.FOUND for r in results.values())


def test_a_malformed_id_is_isolated_by_splitting_the_batch(services: FakeServices) -> None:
    serve(services, "2604.01234", "2604.04501")
    results = client(services).lookup(["2604.01234", "2604.0123x", "2604.04501"])
    assert results["2604.01234"].status is LookupStatus.FOUND
    assert results["2604.04501"].status is LookupStatus.FOUND
    assert results["2604.0123x"].status is LookupStatus.ABSENT
    assert "incorrect id format" in results["2604.0123x"].detail


def test_a_missing_id_is_asked_again_before_it_counts_as_absent(services: FakeServices) -> None:
    serve(services, "2604.01234")
    results = client(services, arxiv_empty_confirmations=2).lookup(["2604.01234", "2604.01890"])
    assert results["2604.01890"].status is LookupStatus.ABSENT
    assert services.count("api") == 3  # the first answer, then two confirmations


def test_one_empty_answer_is_not_absence(services: FakeServices) -> None:
    serve(services, "2604.01234")
    services.queue("api", "empty")
    results = client(services).lookup(["2604.01234"])
    assert results["2604.01234"].status is LookupStatus.FOUND and services.count("api") == 2


def test_a_malformed_feed_is_a_failed_attempt(services: FakeServices) -> None:
    serve(services, "2604.01234")
    services.queue("api", "malformed")
    assert client(services).lookup(["2604.01234"])["2604.01234"].status is LookupStatus.FOUND
    services.permanent["api"] = "malformed"
    failed = client(services).lookup(["2604.01234"])["2604.01234"]
    assert failed.status is LookupStatus.FAILED and "malformed feed" in failed.detail


def test_title_search_returns_the_best_match(services: FakeServices) -> None:
    services.papers["2603.05555"] = Paper(
        "2603.05555", "Efficient Distributed Orthonormal Optimizers for Large-Scale Training", "2026-03-09"
    )
    services.papers["2603.05556"] = Paper(
        "2603.05556",
        "Efficient Distributed Orthonormal Optimizers for Large-Scale Training: A Survey",
        "2026-03-10",
    )
    found = client(services).search_title(
        "efficient distributed orthonormal optimizers for large-scale training"
    )
    assert found.status is LookupStatus.FOUND and found.url == "https://arxiv.org/abs/2603.05555"
    assert "best of 2" in found.detail


def test_title_search_without_match_is_absent_after_confirmation(services: FakeServices) -> None:
    serve(services, "2604.01234")
    arxiv = client(services, arxiv_empty_confirmations=1)
    arxiv.lookup(["2604.01234"])  # arXiv returned a paper in this run: its empty answers mean "none"
    found = arxiv.search_title('goodhart\'s "revenge"')
    assert found.status is LookupStatus.ABSENT and services.count("api") == 3
    query = parse_qs(urlsplit(services.requests[1][2]).query)
    assert query["search_query"] == ['ti:"goodhart\'s revenge"']  # inner quotes cannot end the phrase


def test_title_search_first_checks_that_arxiv_returns_papers(services: FakeServices) -> None:
    found = client(services, arxiv_empty_confirmations=1).search_title("goodhart's revenge")
    assert found.status is LookupStatus.ABSENT and services.count("api") == 3
    assert "id_list=1706.03762" in services.requests[0][2]  # the control paper, then 2 searches


def test_title_search_where_arxiv_returns_no_paper_at_all_is_not_absence(services: FakeServices) -> None:
    services.permanent["api"] = "empty"
    arxiv = client(services, arxiv_empty_confirmations=1)
    found = arxiv.search_title("goodhart's revenge")
    assert found.status is LookupStatus.FAILED and "control paper" in found.detail
    # Two feeds without the control paper (no search, whose empty answer would prove nothing),
    # then arXiv is given up on: the next title costs no request.
    assert services.count("api") == 2 and arxiv.session.breaker.is_open
    assert arxiv.search_title("another title").status is LookupStatus.FAILED
    assert services.count("api") == 2


def test_title_score_ignores_case_punctuation_and_order() -> None:
    assert title_score("Goodhart's Revenge", "goodharts revenge") > 90
    assert title_score("Goodhart's Revenge", "Quantum Error Correction") < 40
