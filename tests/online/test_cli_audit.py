"""`capsule-audit audit --online` end to end: the seeds against the local services over real HTTP.

Verdicts and CA70x findings from the served data, the cache making a second run silent, a fault
that never ends leaving a verdict for every identifier, and capsule URLs fetched only online.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from capsule_audit.cli import app
from capsule_audit.cli.online_options import OnlineFlags
from capsule_audit.online.options import OnlineOptions
from tests.conftest import SEEDS
from tests.online.fake_services import FakeServices
from tests.online.seed_claims import C000, C001, C002, C003, NATURE_DOI
from tests.online.test_verify import EXPECTED, serve_seeds

pytestmark = pytest.mark.loopback_network


def online_args(services: FakeServices, cache: Path, *extra: str) -> list[str]:
    return [
        "audit",
        str(SEEDS),
        "--online",
        "--arxiv-api-url",
        f"{services.base}/api/query",
        "--crossref-api-url",
        services.base,
        "--doi-resolver-url",
        f"{services.base}/doi",
        "--arxiv-min-interval",
        "0",
        "--timeout",
        "0.3",
        "--cache-dir",
        str(cache),
        "--now",
        "2026-05-01",
        "--jobs",
        "1",
        "--format",
        "json",
        "--fail-on",
        "never",
        *extra,
    ]


def run(args: list[str]) -> tuple[dict[str, Any], str]:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output + result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report, result.stderr


def verdicts(report: dict[str, Any]) -> dict[str, str]:
    return {v["key"]: v["verdict"] for v in report["verdicts"]}


def findings(report: dict[str, Any], rule: str) -> set[tuple[str, tuple[str, ...]]]:
    return {(f["key"], tuple(f["capsules"])) for f in report["findings"] if f["rule"] == rule}


def test_the_seeds_get_the_served_verdicts_and_findings(services: FakeServices, tmp_path: Path) -> None:
    serve_seeds(services)
    report, stderr = run(online_args(services, tmp_path))
    found = verdicts(report)
    assert {k: found[k] for k in EXPECTED} == {k: v.value for k, v in EXPECTED.items()}
    # Titles the digest quotes that the local arXiv does not hold: not provably invented.
    assert {found[k] for k in set(found) - set(EXPECTED)} <= {"unverifiable"}
    assert report["run"]["configuration"]["online"] is True
    assert [v["key"] for v in report["verdicts"]] == sorted(found)
    assert findings(report, "CA701") >= {
        ("arxiv:2604.01890", (C000,)),
        ("arxiv:2604.01889", (C003,)),
        (NATURE_DOI, (C002,)),
    }
    assert {k for k, _ in findings(report, "CA701")} == {k for k, v in found.items() if v == "fabricated"}
    # 2604.01234 is a paper on surface codes: every capsule crediting a method to it is wrong.
    miscited = findings(report, "CA702")
    assert {c for k, cs in miscited if k == "arxiv:2604.01234" for c in cs} >= {C000, C003}
    # 2604.01567 is DCP: capsule 000 credits DCP (right), 003 credits ATD-CF (wrong).
    assert ("arxiv:2604.01567", (C003,)) in miscited
    assert ("arxiv:2604.01567", (C000,)) not in miscited
    assert {c for k, cs in miscited for c in cs} <= {C000, C001, C003}
    assert ("arxiv:2604.04501", (C002,)) in findings(report, "CA703")  # stated April 12, record April 6
    assert {k for k, _ in findings(report, "CA704")} == {k for k, v in found.items() if v == "unverifiable"}
    counts = {kind: list(found.values()).count(kind) for kind in ("verified", "miscited")}
    assert f"online: {counts['verified']} verified, {counts['miscited']} miscited" in stderr


def test_a_second_run_with_the_same_cache_makes_no_request(services: FakeServices, tmp_path: Path) -> None:
    serve_seeds(services)
    first, _ = run(online_args(services, tmp_path))
    before = services.count()
    assert before > 0
    second, _ = run(online_args(services, tmp_path))
    assert services.count() == before
    assert verdicts(second) == verdicts(first)
    assert all(v["cached"] for v in second["verdicts"] if v["service"] != "none")
    assert [f["fingerprint"] for f in second["findings"]] == [f["fingerprint"] for f in first["findings"]]


def test_a_fault_that_never_ends_still_gives_every_identifier_a_verdict(
    services: FakeServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_seeds(services)
    for service in ("api", "works", "doi"):
        services.permanent[service] = "503"
    fast = OnlineFlags.options

    def options(self: OnlineFlags) -> OnlineOptions:  # no flag for retries: keep the test short
        return fast(self).model_copy(update={"max_retries": 1, "backoff_base": 0.01, "trust_env": False})

    monkeypatch.setattr(OnlineFlags, "options", options)
    report, stderr = run(online_args(services, tmp_path))
    assert services.count("api") <= 5 and services.count("works") <= 5  # the breakers, not a clock
    found = verdicts(report)
    assert set(EXPECTED) <= set(found) and set(found.values()) == {"unverifiable"}
    assert {k for k, _ in findings(report, "CA704")} == set(found)
    assert not findings(report, "CA701") and not findings(report, "CA702")
    assert f"0 fabricated, {len(found)} unverifiable" in stderr


def test_a_capsule_url_is_fetched_through_forge_in_online_mode(
    services: FakeServices, tmp_path: Path
) -> None:
    uuid = C000.rsplit("/", 1)[-1]
    services.capsules[uuid] = json.loads((SEEDS / "000_ea5c0029181cb232.txt").read_text(encoding="utf-8"))
    url = f"{services.base}/public/capsules/{uuid}"
    args = online_args(services, tmp_path, "--cache-only")
    args[args.index(str(SEEDS))] = url
    args.remove("--online")  # --cache-only alone never opens a socket, so a URL is refused
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2 and "add --online" in refused.stderr
    assert services.count() == 0
    args.remove("--cache-only")
    args.insert(2, "--online")
    report, _ = run(args)
    assert [c["id"] for c in report["capsules"]] == [C000]
    assert services.count("public") == 1
    missing = url.replace(uuid, "00000000-0000-4000-8000-000000000000")
    args[1] = missing
    report, _ = run(args)
    assert [f["rule"] for f in report["findings"] if f["rule"].startswith("CA0")] == ["CA001"]
