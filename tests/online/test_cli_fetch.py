"""`capsule-audit fetch` against the local Forge stand-in (tests cli/fetch.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capsule_audit.cli import app
from capsule_audit.errors import UsageError
from tests.online.fake_services import FakeServices
from tests.online.test_forge import OTHER, UUID, capsule


def fast(services: FakeServices) -> list[str]:
    return ["--forge-url", services.base, "--min-interval", "0", "--timeout", "0.5", "--max-retries", "0"]


@pytest.mark.loopback_network
def test_fetch_ids_saves_each_capsule_and_reports_failures(services: FakeServices, tmp_path: Path) -> None:
    services.capsules[UUID] = capsule(UUID)
    services.throttled.add(OTHER)
    ids = tmp_path / "ids.txt"
    ids.write_text(f"# capsules\n{UUID}\n\n{OTHER}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["fetch", "--ids", str(ids), "--out", str(out), *fast(services)])
    assert result.exit_code == 1
    assert f"failed: {OTHER}" in result.output and "Forge rate limit" in result.output
    assert [p.name for p in out.iterdir()] == [f"{UUID}.json"]
    assert json.loads((out / f"{UUID}.json").read_text())["@id"].endswith(UUID)


@pytest.mark.loopback_network
def test_fetch_one_url(services: FakeServices, tmp_path: Path) -> None:
    services.capsules[UUID] = capsule(UUID)
    url = f"{services.base}/public/capsules/{UUID}"
    result = CliRunner().invoke(app, ["fetch", url, "--out", str(tmp_path), *fast(services)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"{UUID}.json").exists() and services.count("public") == 1


def test_fetch_without_ids_or_url_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["fetch", "--out", str(tmp_path)])
    assert isinstance(result.exception, UsageError)
