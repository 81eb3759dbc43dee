"""`audit --online` when the services fail: offline findings kept, one stderr line with the counts,
and `--require-verified` (or `--fail-on info`) to make CI fail; `fetch` without a network."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from capsule_audit.cli import app
from capsule_audit.cli.online_options import OnlineFlags
from capsule_audit.online.forge import ForgeFetcher, fetch_many
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.ratelimit import FakeClock
from tests.conftest import SEEDS
from tests.online.fake_services import FakeServices
from tests.online.seed_claims import NATURE_DOI
from tests.online.test_cli_audit import online_args, verdicts
from tests.online.test_forge import UUID
from tests.online.test_verify import serve_seeds

pytestmark = pytest.mark.loopback_network


def down_args(cache: Path, *extra: str) -> list[str]:
    """The seeds against services that refuse every connection."""
    nobody = FakeServices()
    nobody.server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    nobody.server.server_close()  # its address, with nothing listening any more
    return online_args(nobody, cache, *extra)


@pytest.fixture(autouse=True)
def short_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """No flag sets the back-off: keep the CLI's real sleeps to hundredths of a second."""
    given = OnlineFlags.options

    def options(self: OnlineFlags) -> OnlineOptions:
        return given(self).model_copy(update={"backoff_base": 0.01, "trust_env": False})

    monkeypatch.setattr(OnlineFlags, "options", options)


def offline_rules(report: dict[str, object]) -> set[str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return {f["rule"] for f in findings if not f["rule"].startswith("CA7")}


@pytest.fixture
def offline_findings(tmp_path: Path) -> set[str]:
    """The rules the seeds fail without --online."""
    args = [
        "audit",
        str(SEEDS),
        "--now",
        "2026-05-01",
        "--jobs",
        "1",
        "--format",
        "json",
        "--fail-on",
        "never",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return offline_rules(json.loads(result.stdout))


def test_every_service_down_says_so_and_keeps_the_offline_findings(
    tmp_path: Path, offline_findings: set[str]
) -> None:
    result = CliRunner().invoke(app, down_args(tmp_path))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    found = verdicts(report)
    assert set(found.values()) == {"unverifiable"}
    assert offline_rules(report) == offline_findings and offline_findings
    failed = [v for v in report["verdicts"] if v["failed"]]
    warnings = [line for line in result.stderr.splitlines() if "could not be checked" in line]
    assert len(warnings) == 1
    assert f"{len(failed)} of {len(found)} identifiers could not be checked" in warnings[0]
    assert "0 verified" in warnings[0]


def test_require_verified_fails_the_run_when_a_lookup_failed(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, down_args(tmp_path, "--require-verified"))
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["verdicts"]  # the report is still written
    zero = CliRunner().invoke(app, down_args(tmp_path, "--require-verified", "--exit-zero"))
    assert zero.exit_code == 0


def test_fail_on_info_counts_unverifiable_identifiers(tmp_path: Path) -> None:
    args = down_args(tmp_path)
    args[args.index("--fail-on") + 1] = "info"  # CA704 (unverifiable) is an info finding
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert any(f["rule"] == "CA704" for f in json.loads(result.stdout)["findings"])


def test_require_verified_passes_when_every_lookup_answered(services: FakeServices, tmp_path: Path) -> None:
    serve_seeds(services)
    result = CliRunner().invoke(app, online_args(services, tmp_path, "--require-verified"))
    assert result.exit_code == 0, result.output  # unverifiable titles are answers, not failures
    assert "could not be checked" not in result.stderr


def test_require_verified_needs_online(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["audit", str(SEEDS), "--require-verified"])
    assert result.exit_code == 2 and "--require-verified applies to online verification" in result.stderr


def test_an_odd_crossref_answer_costs_one_identifier_not_the_run(
    services: FakeServices, tmp_path: Path, offline_findings: set[str]
) -> None:
    serve_seeds(services)
    services.permanent["works"] = "json:[]"
    result = CliRunner().invoke(app, online_args(services, tmp_path, "--online-budget", "600"))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert verdicts(report)[NATURE_DOI] == "unverifiable"
    assert offline_rules(report) >= offline_findings
    assert "1 of" in result.stderr and "could not be checked" in result.stderr


def test_fetch_without_a_network_gives_up_after_three_attempts(tmp_path: Path) -> None:
    attempts: list[str] = []

    def no_dns(request: httpx.Request) -> httpx.Response:
        attempts.append(str(request.url))
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    clock = FakeClock()
    fetcher = ForgeFetcher(
        OnlineOptions(trust_env=False), clock=clock, sleep=clock.sleep, transport=httpx.MockTransport(no_dns)
    )
    refs = [UUID, UUID.replace("a", "b"), UUID.replace("a", "c")]
    summary = fetch_many(fetcher, refs, tmp_path)
    assert summary.saved == () and [ref for ref, _ in summary.failed] == refs
    assert len(attempts) == 3 and clock.now < 4  # short back-offs (the 5 s floor is for throttling)
    assert all("not asked again" in why for _, why in summary.failed[1:])
