"""verify() against the local services: the seeds' verdicts, every fault, the cache."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from capsule_audit.models.verdicts import Verdict, VerdictKind
from capsule_audit.online.ratelimit import FakeClock
from capsule_audit.online.verify import collect, summary_line, target, verify
from tests.online.conftest import options_for, runtime_for
from tests.online.fake_services import FakeServices, Paper
from tests.online.seed_claims import EDOO_TITLE, GOODHART_TITLE, NATURE_DOI, SEED_PAPERS, seed_capsules

V, M, F, U = VerdictKind.VERIFIED, VerdictKind.MISCITED, VerdictKind.FABRICATED, VerdictKind.UNVERIFIABLE
EXPECTED = {
    "arxiv:26": U,  # cut off by the export: nothing to look up
    "arxiv:2604.01234": M,
    "arxiv:2604.01567": M,
    "arxiv:2604.01889": F,
    "arxiv:2604.01890": F,
    "arxiv:2604.01892": V,
    "arxiv:2604.04501": V,
    NATURE_DOI: F,
    f"title:{EDOO_TITLE}": V,
    f"title:{GOODHART_TITLE}": U,  # no arXiv paper so titled: not provably invented
}
pytestmark = pytest.mark.loopback_network


def serve_seeds(services: FakeServices) -> None:
    for arxiv_id, title, published in SEED_PAPERS:
        services.papers[arxiv_id] = Paper(arxiv_id, title, published)


def kinds(verdicts: dict[str, Verdict]) -> dict[str, VerdictKind]:
    return {k: v.verdict for k, v in verdicts.items()}


def test_seed_identifiers_get_the_verdicts_the_served_data_implies(
    services: FakeServices, clock: FakeClock, tmp_path: Path
) -> None:
    serve_seeds(services)
    seen: list[tuple[int, int]] = []
    verdicts = verify(
        seed_capsules(),
        options_for(services, tmp_path),
        runtime=runtime_for(clock),
        progress=lambda d, t: seen.append((d, t)),
    )
    assert kinds(verdicts) == EXPECTED
    saat = verdicts["arxiv:2604.04501"]
    assert saat.title_found is not None and saat.title_found.startswith("SAAT")
    assert saat.date_found == date(2026, 4, 6) and saat.score == 100.0
    wrong = verdicts["arxiv:2604.01567"]
    assert wrong.score is not None and wrong.score < 80 and "ATD-CF" in wrong.detail
    assert verdicts[f"title:{EDOO_TITLE}"].score == 100.0
    # Six IDs in one id_list request, then two confirmations of the two missing ones.
    id_lists = [t for s, _, t in services.requests if s == "api" and "id_list" in t]
    assert len(id_lists) == 3
    assert all("2604.01890" in t for t in id_lists) and "2604.04501" not in id_lists[1]
    assert seen[-1][0] == seen[-1][1] == 9  # 6 arXiv IDs, 1 DOI, 2 titles
    assert summary_line(verdicts.values()) == "online: 3 verified, 2 miscited, 3 fabricated, 2 unverifiable"


def test_second_run_is_answered_from_the_cache(
    services: FakeServices, clock: FakeClock, tmp_path: Path
) -> None:
    serve_seeds(services)
    options = options_for(services, tmp_path)
    first = verify(seed_capsules(), options, runtime=runtime_for(clock))
    before = services.count()
    assert before > 0
    second = verify(seed_capsules(), options, runtime=runtime_for(clock))
    assert services.count() == before  # zero requests
    assert kinds(second) == kinds(first) == EXPECTED
    looked_up = {k for k, v in second.items() if v.service != "none"}
    assert all(second[k].cached for k in looked_up)


def test_refresh_asks_again(services: FakeServices, clock: FakeClock, tmp_path: Path) -> None:
    serve_seeds(services)
    verify(seed_capsules(), options_for(services, tmp_path), runtime=runtime_for(clock))
    before = services.count()
    verify(seed_capsules(), options_for(services, tmp_path, refresh=True), runtime=runtime_for(clock))
    assert services.count() > before


def test_cache_only_with_an_empty_cache_sends_nothing(
    services: FakeServices, clock: FakeClock, tmp_path: Path
) -> None:
    serve_seeds(services)
    verdicts = verify(
        seed_capsules(), options_for(services, tmp_path, cache_only=True), runtime=runtime_for(clock)
    )
    assert services.count() == 0
    assert set(verdicts) == set(EXPECTED)
    assert {v.verdict for v in verdicts.values()} == {U}


NETWORK_FAULTS = ("timeout", "reset", "429", "429-after:2", "503")
RETRIED_FAULTS = tuple(f for f in NETWORK_FAULTS if f != "timeout")  # a timeout opens the host's breaker
FEED_FAULTS = ("malformed", "ratelimit-body", "empty")


@pytest.mark.parametrize("fault", RETRIED_FAULTS + FEED_FAULTS)
def test_a_transient_fault_changes_no_verdict(
    services: FakeServices, clock: FakeClock, tmp_path: Path, fault: str
) -> None:
    serve_seeds(services)
    services.queue("api", fault, fault)
    services.queue("works", fault if fault != "empty" else "malformed")
    if fault in RETRIED_FAULTS:
        services.queue("doi", fault)
    verdicts = verify(seed_capsules(), options_for(services, tmp_path), runtime=runtime_for(clock))
    assert kinds(verdicts) == EXPECTED
    assert not any(services.faults.values())  # every injected fault was served


@pytest.mark.parametrize("fault", [*NETWORK_FAULTS, "malformed", "ratelimit-body"])
def test_a_fault_that_never_ends_leaves_every_identifier_unverifiable(
    services: FakeServices, clock: FakeClock, tmp_path: Path, fault: str
) -> None:
    serve_seeds(services)
    for service in ("api", "works", "doi"):
        services.permanent[service] = fault
    options = options_for(services, tmp_path, max_retries=1, timeout=0.2)
    verdicts = verify(seed_capsules(), options, runtime=runtime_for(clock))
    assert set(verdicts) == set(EXPECTED)
    # Bounded by counted attempts: each service's breaker opens after a few failures.
    assert services.count("api") <= 5 and services.count("works") <= 5
    assert {v.verdict for v in verdicts.values()} == {U}
    # Failures are not cached: once the services recover, the next run asks again.
    services.permanent.clear()
    assert kinds(verify(seed_capsules(), options, runtime=runtime_for(clock))) == EXPECTED


def test_random_empty_feeds_are_confirmed_before_counting_as_absent(
    services: FakeServices, clock: FakeClock, tmp_path: Path
) -> None:
    serve_seeds(services)
    services.empty_rate = 0.3
    options = options_for(services, tmp_path, arxiv_empty_confirmations=4)
    verdicts = verify(seed_capsules(), options, runtime=runtime_for(clock))
    assert kinds(verdicts) == EXPECTED
    assert any(s == "api" for s, _, _ in services.requests)


def test_arxiv_requests_keep_the_minimum_interval(
    services: FakeServices, clock: FakeClock, tmp_path: Path
) -> None:
    serve_seeds(services)
    verify(seed_capsules(), options_for(services, tmp_path, use_cache=False), runtime=runtime_for(clock))
    arxiv_requests = services.count("api")
    assert arxiv_requests >= 5
    # Every arXiv request after the first waited out the 3 s interval on the (fake) clock.
    assert clock.now >= 3.0 * (arxiv_requests - 1)


def test_collect_and_target_route_each_scheme() -> None:
    cited = collect(seed_capsules())
    assert "url:https://icml.cc/2026/accepted-papers/paper_3421" not in cited
    assert len(cited["arxiv:2604.01234"]) == 5  # two claims, three Sources entries
    assert target("doi:10.48550/arXiv.2604.01234") == ("arxiv", "2604.01234")
    assert target(NATURE_DOI) == ("crossref", NATURE_DOI.removeprefix("doi:"))
    assert target("title:goodhart's revenge") == ("arxiv-title-search", "goodhart's revenge")
    assert target("url:https://example.org") is None
