"""Broken and hostile services on 127.0.0.1: every run ends, with a verdict for every identifier,
none `fabricated` without proof, and no answer born of a failure in the cache.

Time is bounded by counted attempts (the breaker), the fake clock and a per-request deadline read
on a ticking clock, never by waiting: the assertions are on verdicts, cache rows and requests.
"""

from __future__ import annotations

import json
import socket
import sqlite3
from pathlib import Path

import httpx
import pytest

from capsule_audit.models.claims import ExtractedCapsule
from capsule_audit.models.verdicts import Verdict, VerdictKind
from capsule_audit.online.cache import CACHE_FILE
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.ratelimit import FakeClock
from capsule_audit.online.verify import Runtime, verify
from tests.online.conftest import TickingClock, options_for, runtime_for
from tests.online.fake_services import HUGE, FakeServices
from tests.online.seed_claims import NATURE_DOI, seed_capsules, sources
from tests.online.test_verify import EXPECTED, kinds, serve_seeds

pytestmark = pytest.mark.loopback_network

U, F = VerdictKind.UNVERIFIABLE, VerdictKind.FABRICATED
ARXIV_KEYS = {k for k in EXPECTED if k.startswith(("arxiv:", "title:")) and k != "arxiv:26"}
LOOKED_UP = ARXIV_KEYS | {NATURE_DOI}
SERVICES = ("api", "works", "doi")

# Faults of every service: (fault, the services that serve it).
EVERYWHERE = (
    "timeout",  # hangs past the client's timeout
    "429-after:120",  # asks for a wait longer than backoff_max
    "503",
    "drip",
    "truncated",
    "html-400",
    "html-200",
    "redirect-loop",
    "huge",
    "huge-declared",
)
ARXIV_ONLY = ("malformed", "bare-entries", "total-nan", "empty")


def cache_rows(cache_dir: Path) -> set[tuple[str, str]]:
    """(service, identifier) of every answer stored."""
    path = cache_dir / CACHE_FILE
    if not path.exists():
        return set()
    with sqlite3.connect(path) as db:
        return {(s, i) for s, i in db.execute("SELECT service, identifier FROM answers")}


def hostile_options(services: FakeServices, cache_dir: Path, **overrides: object) -> OnlineOptions:
    defaults: dict[str, object] = {"max_response_bytes": 256 * 1024, "request_deadline": 1.0}
    return options_for(services, cache_dir, **{**defaults, **overrides})


def assert_no_verdict_without_proof(verdicts: dict[str, Verdict], broken: set[str]) -> None:
    """A verdict for every identifier; those of broken services unverifiable, as failures."""
    assert set(verdicts) == set(EXPECTED)
    for key in broken:
        assert verdicts[key].verdict is U and verdicts[key].failed, (key, verdicts[key])
    for key in set(EXPECTED) - broken:
        assert verdicts[key].verdict is EXPECTED[key], (key, verdicts[key])


def assert_cache_only_repeats_no_failure(services: FakeServices, tmp_path: Path, broken: set[str]) -> None:
    before = services.count()
    again = verify(
        seed_capsules(), options_for(services, tmp_path, cache_only=True), runtime=runtime_for(FakeClock())
    )
    assert services.count() == before  # --cache-only sends nothing
    for key in broken:
        assert again[key].verdict is U and "not in the cache" in again[key].detail


@pytest.mark.parametrize("fault", EVERYWHERE)
def test_a_service_that_never_answers_well_leaves_its_identifiers_unverifiable(
    services: FakeServices, tmp_path: Path, fault: str
) -> None:
    serve_seeds(services)
    for service in SERVICES:
        services.permanent[service] = fault
    clock = TickingClock(tick=0.1) if fault == "drip" else FakeClock()
    verdicts = verify(seed_capsules(), hostile_options(services, tmp_path), runtime=runtime_for(clock))
    assert_no_verdict_without_proof(verdicts, LOOKED_UP)
    assert cache_rows(tmp_path) == set()
    # The breaker stops each service after a few attempts: 4 lookups of 4 attempts would be 16.
    assert services.count("api") <= 5 and services.count("works") <= 4
    if fault.startswith("429-after"):
        assert services.count("api") == services.count("works") == 1  # no wait of 120 s, no retry
        assert all(pause < 120 for pause in clock.sleeps)
    if fault in ("drip", "huge", "huge-declared"):
        assert services.sent_bytes < HUGE // 10  # cut off, not read to the end
        why = {"drip": "request deadline", "huge": "larger than", "huge-declared": "announced as larger"}
        assert why[fault] in verdicts["arxiv:2604.01234"].detail
    assert_cache_only_repeats_no_failure(services, tmp_path, LOOKED_UP)


@pytest.mark.parametrize("fault", ARXIV_ONLY)
def test_an_arxiv_feed_that_proves_nothing_makes_nothing_fabricated(
    services: FakeServices, clock: FakeClock, tmp_path: Path, fault: str
) -> None:
    serve_seeds(services)
    services.permanent["api"] = fault
    verdicts = verify(seed_capsules(), hostile_options(services, tmp_path), runtime=runtime_for(clock))
    assert_no_verdict_without_proof(verdicts, ARXIV_KEYS)
    assert {service for service, _ in cache_rows(tmp_path)} == {"crossref", "doi.org"}  # the DOI's 404s
    assert_cache_only_repeats_no_failure(services, tmp_path, ARXIV_KEYS)


def test_absence_is_proven_by_a_feed_that_returned_a_witness(
    services: FakeServices, clock: FakeClock, tmp_path: Path
) -> None:
    serve_seeds(services)
    verdicts = verify(seed_capsules(), options_for(services, tmp_path), runtime=runtime_for(clock))
    assert kinds(verdicts) == EXPECTED
    confirmations = [t for s, _, t in services.requests if s == "api" and "id_list" in t][1:]
    # The two missing IDs were asked for again beside a paper arXiv had just returned.
    assert len(confirmations) == 2 and all("2604.01234" in t for t in confirmations)
    assert "no such paper" in verdicts["arxiv:2604.01890"].detail


def test_empty_feeds_three_times_then_the_right_answer(
    services: FakeServices, clock: FakeClock, tmp_path: Path
) -> None:
    serve_seeds(services)
    services.queue("api", "empty", "empty", "empty")
    first = verify(seed_capsules(), options_for(services, tmp_path), runtime=runtime_for(clock))
    assert not any(v.verdict is F for k, v in first.items() if k.startswith("arxiv:"))
    assert not any(service == "arxiv" for service, _ in cache_rows(tmp_path))
    # The next run asks again and, with arXiv answering, gets the verdicts the data implies.
    assert (
        kinds(verify(seed_capsules(), options_for(services, tmp_path), runtime=runtime_for(clock)))
        == EXPECTED
    )


ODD_WORKS = {
    "[]": None,
    '"ok"': None,
    '{"status": "ok", "message": []}': None,
    '{"status": "ok", "message": {"title": ["A Paper"], "issued": {"date-parts": {"0": [2026]}}}}': "A Paper",
    '{"status": "ok", "message": {"title": ["A Paper"], "issued": "2026-04-10"}}': "A Paper",
    '{"status": "ok", "message": {"title": ["A Paper"], "author": 5}}': "A Paper",
    '{"status": "ok", "message": {"title": "A Paper", "issued": {"date-parts": [[1e400]]}}}': "",
}


@pytest.mark.parametrize("body", ODD_WORKS)
def test_odd_crossref_json_never_ends_the_run(
    services: FakeServices, clock: FakeClock, tmp_path: Path, body: str
) -> None:
    serve_seeds(services)
    services.permanent["works"] = f"json:{body}"
    verdicts = verify(seed_capsules(), options_for(services, tmp_path), runtime=runtime_for(clock))
    doi = verdicts[NATURE_DOI]
    assert {k: v.verdict for k, v in verdicts.items() if k != NATURE_DOI} == {
        k: v for k, v in EXPECTED.items() if k != NATURE_DOI
    }
    title = ODD_WORKS[body]
    if title is None:  # not a work: unverifiable, and nothing cached for it
        assert doi.verdict is U and doi.failed
        assert ("crossref", NATURE_DOI.removeprefix("doi:")) not in cache_rows(tmp_path)
    else:  # a work with odd fields: what can be read is, the rest is missing, never raised
        assert doi.verdict is not F and doi.date_found is None
        assert doi.title_found == (title or None)


def test_no_network_at_all_fails_fast(tmp_path: Path) -> None:
    """Name resolution fails (no network): three attempts per service, then nothing more is sent."""
    attempts: list[str] = []

    def no_dns(request: httpx.Request) -> httpx.Response:
        attempts.append(request.url.host)
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    clock = FakeClock()
    runtime = Runtime(clock=clock, sleep=clock.sleep, transport=httpx.MockTransport(no_dns))
    options = OnlineOptions(cache_dir=tmp_path, trust_env=False)  # the real services' addresses
    verdicts = verify(seed_capsules(), options, runtime=runtime)
    assert set(verdicts) == set(EXPECTED)
    assert all(verdicts[k].verdict is U and verdicts[k].failed for k in LOOKED_UP)
    assert sorted(attempts) == ["api.crossref.org"] * 3 + ["export.arxiv.org"] * 3
    # Two short back-offs per service (and arXiv's 3 s interval), not the whole retry cycle.
    assert clock.now < 12
    assert cache_rows(tmp_path) == set()


def test_services_down_on_a_closed_port(clock: FakeClock, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = f"http://127.0.0.1:{port}"
    options = OnlineOptions.model_validate(
        {
            "arxiv_api_url": f"{down}/api/query",
            "crossref_api_url": down,
            "doi_resolver_url": f"{down}/doi",
            "cache_dir": tmp_path,
            "trust_env": False,
        }
    )
    verdicts = verify(seed_capsules(), options, runtime=runtime_for(clock))
    assert all(verdicts[k].verdict is U and verdicts[k].failed for k in LOOKED_UP)
    assert clock.now < 12  # two retries per service, then its breaker is open
    assert cache_rows(tmp_path) == set()


def test_the_run_budget_bounds_a_slow_run(services: FakeServices, clock: FakeClock, tmp_path: Path) -> None:
    """Every identifier settles once the budget is spent, without a request more."""
    serve_seeds(services)
    services.permanent["api"] = "503"
    options = options_for(services, tmp_path, run_budget=2.0, max_retries=10, breaker_failures=50)
    verdicts = verify(seed_capsules(), options, runtime=runtime_for(clock))
    assert set(verdicts) == set(EXPECTED)
    assert all(verdicts[k].verdict is U for k in ARXIV_KEYS)
    assert "budget" in verdicts["arxiv:2604.01234"].detail
    assert clock.now <= 2.0 and services.count("api") < 5


def test_a_report_of_a_failed_lookup_says_it_failed(
    services: FakeServices, clock: FakeClock, tmp_path: Path
) -> None:
    serve_seeds(services)
    services.permanent["api"] = "html-400"
    verdicts = verify(seed_capsules(), options_for(services, tmp_path), runtime=runtime_for(clock))
    dumped = json.loads(verdicts["arxiv:2604.01890"].model_dump_json())
    assert dumped["verdict"] == "unverifiable" and dumped["failed"] is True
    assert "error entry" in dumped["detail"]
    assert not verdicts["arxiv:26"].failed  # cut off: nothing to ask, not a failure


def test_headers_dripping_a_byte_at_a_time_are_cut_off_at_the_request_deadline(
    services: FakeServices, clock: FakeClock, tmp_path: Path
) -> None:
    """Read timeouts never fire on a drip: the socket keeps the (real-time) request deadline."""
    serve_seeds(services)
    services.drip_seconds = 0.02
    for service in SERVICES:
        services.permanent[service] = "drip-headers"
    options = hostile_options(services, tmp_path, request_deadline=0.3, timeout=0.25)
    verdicts = verify(seed_capsules(), options, runtime=runtime_for(clock))
    assert_no_verdict_without_proof(verdicts, LOOKED_UP)
    assert "request deadline" in verdicts["arxiv:2604.01234"].detail
    assert services.count("api") == services.count("works") == 1  # cut off once: not asked again
    assert cache_rows(tmp_path) == set()


def test_forty_dois_at_a_dead_crossref_cost_a_few_attempts_not_forty_retry_cycles(
    services: FakeServices, clock: FakeClock, tmp_path: Path
) -> None:
    dois = [f"doi:10.1234/paper-{n:02d}" for n in range(40)]
    capsule = ExtractedCapsule(capsule="urn:test:forty", sources=sources(*dois))
    services.permanent["works"] = "503"
    verdicts = verify([capsule], options_for(services, tmp_path), runtime=runtime_for(clock))
    assert set(verdicts) == set(dois) and all(v.verdict is U and v.failed for v in verdicts.values())
    assert services.count("works") == 5  # the breaker's threshold: 40 x 4 attempts before
    assert services.count("doi") == 0
    assert sum("not asked again" in v.detail for v in verdicts.values()) == 39


def test_a_hanging_host_costs_one_timeout_not_one_per_target_or_service(
    services: FakeServices, clock: FakeClock, tmp_path: Path
) -> None:
    """arXiv, Crossref and doi.org all on one host that never answers: the first timeout opens
    the host's breaker, so the other targets and services are not asked (before: 3 per service)."""
    serve_seeds(services)
    services.stall_seconds = 0.4
    for service in SERVICES:
        services.permanent[service] = "timeout"
    verdicts = verify(
        seed_capsules(), hostile_options(services, tmp_path, timeout=0.1), runtime=runtime_for(clock)
    )
    assert_no_verdict_without_proof(verdicts, LOOKED_UP)
    assert services.count() == 1
    assert "not asked again" in verdicts[NATURE_DOI].detail  # refused at once, not timed out
    assert cache_rows(tmp_path) == set()
    assert_cache_only_repeats_no_failure(services, tmp_path, LOOKED_UP)


def test_one_hanging_host_leaves_the_services_of_another_host_asked(
    services: FakeServices, clock: FakeClock, tmp_path: Path
) -> None:
    """The breaker is the host's: arXiv hanging on its own host costs one timeout there, while
    Crossref and doi.org, on another host, answer as usual."""
    serve_seeds(services)
    arxiv_host = FakeServices().start()
    try:
        arxiv_host.stall_seconds = 0.4
        arxiv_host.permanent["api"] = "timeout"
        options = hostile_options(
            services, tmp_path, timeout=0.1, arxiv_api_url=f"{arxiv_host.base}/api/query"
        )
        verdicts = verify(seed_capsules(), options, runtime=runtime_for(clock))
        assert_no_verdict_without_proof(verdicts, ARXIV_KEYS)
        assert arxiv_host.count() == 1 and services.count("api") == 0
        assert services.count("works") == 1 and services.count("doi") >= 1
    finally:
        arxiv_host.stop()


DATACITE_DOI = "doi:10.5281/zenodo.123"  # registered with DataCite: Crossref answers 404


@pytest.mark.parametrize(
    ("doi_org", "verdict", "cached"),
    [
        ("", F, {"crossref", "doi.org"}),  # the handle system's own "not found": proof
        ("html-404", U, {"crossref"}),  # a 404 page from anything else: no proof
        ("503", U, {"crossref"}),
        ("timeout", U, {"crossref"}),
    ],
)
def test_a_crossref_404_alone_never_makes_a_doi_fabricated(
    services: FakeServices,
    clock: FakeClock,
    tmp_path: Path,
    doi_org: str,
    verdict: VerdictKind,
    cached: set[str],
) -> None:
    capsule = ExtractedCapsule(capsule="urn:test:doi", sources=sources(NATURE_DOI))
    if doi_org:
        services.permanent["doi"] = doi_org
    services.stall_seconds = 0.4
    verdicts = verify([capsule], hostile_options(services, tmp_path, timeout=0.1), runtime=runtime_for(clock))
    assert verdicts[NATURE_DOI].verdict is verdict
    assert verdicts[NATURE_DOI].failed is (verdict is U)
    assert services.count("works") == 1 and services.count("doi") >= 1
    assert {service for service, _ in cache_rows(tmp_path)} == cached  # no verdict born of a failure


def test_a_doi_crossref_lacks_but_doi_org_holds_is_not_fabricated(
    services: FakeServices, clock: FakeClock, tmp_path: Path
) -> None:
    services.registered.add(DATACITE_DOI.removeprefix("doi:"))
    capsule = ExtractedCapsule(capsule="urn:test:datacite", sources=sources(DATACITE_DOI))
    verdicts = verify([capsule], options_for(services, tmp_path), runtime=runtime_for(clock))
    found = verdicts[DATACITE_DOI]
    assert found.verdict is U and not found.failed and found.service == "doi.org"
    assert "registered at doi.org" in found.detail
