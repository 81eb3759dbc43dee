"""Fetching capsules from Forge: throttling bodies are retried and never saved."""

from __future__ import annotations

import json
import random
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from capsule_audit.online.forge import (
    FetchError,
    ForgeFetcher,
    capsule_uuid,
    fetch_many,
    is_capsule,
    throttle_reason,
)
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.ratelimit import FakeClock
from tests.online.fake_services import FakeServices

UUID = "223f9579-7bd4-418a-bf62-f72791e369f5"
OTHER = "972170ab-63dc-4762-953a-49e1d1abbe12"


def capsule(uuid: str) -> dict[str, str]:
    return {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": f"https://forgecascade.org/public/capsules/{uuid}",
    }


def fetcher(services: FakeServices, clock: FakeClock, retries: int = 3) -> ForgeFetcher:
    options = OnlineOptions(forge_base_url=services.base, trust_env=False, timeout=0.5, max_retries=retries)
    return ForgeFetcher(options, clock=clock, sleep=clock.sleep, rng=random.Random(2))


def test_throttle_and_capsule_bodies_are_told_apart() -> None:
    assert throttle_reason(b'{"error": "Rate limit exceeded"}') == "Forge rate limit (Rate limit exceeded)"
    assert throttle_reason(json.dumps(capsule(UUID)).encode()) is None
    assert not is_capsule(b'{"error": "Rate limit exceeded"}') and not is_capsule(b"<html>")
    assert is_capsule(json.dumps(capsule(UUID)).encode())


def test_capsule_uuid_accepts_urls_and_rejects_paths() -> None:
    assert capsule_uuid(f"https://forgecascade.org/public/capsules/{UUID.upper()}") == UUID
    with pytest.raises(FetchError):
        capsule_uuid("../../etc/passwd")


@pytest.mark.loopback_network
def test_rate_limit_bodies_are_retried_after_five_seconds(services: FakeServices) -> None:
    clock = FakeClock()
    services.capsules[UUID] = capsule(UUID)
    services.queue("public", "ratelimit-body", "ratelimit-body")
    body = fetcher(services, clock).fetch(UUID)
    assert json.loads(body) == capsule(UUID)
    assert services.count("public") == 3 and clock.sleeps[0] >= 5.0 and clock.sleeps[1] >= 10.0


@pytest.mark.loopback_network
def test_fetch_many_saves_capsules_and_never_an_error_body(services: FakeServices, tmp_path: Path) -> None:
    clock = FakeClock()
    services.capsules[UUID] = capsule(UUID)
    services.capsules[OTHER] = capsule(OTHER)
    # The second capsule stays throttled for every attempt; the third does not exist.
    services.queue("public", "reset")
    services.throttled.add(OTHER)
    missing = "00000000-0000-4000-8000-000000000000"
    summary = fetch_many(
        fetcher(services, clock, retries=2),
        [UUID, f"{services.base}/public/capsules/{OTHER}", missing, ""],
        tmp_path,
    )
    assert [p.name for p in summary.saved] == [f"{UUID}.json"]
    assert [ref for ref, _ in summary.failed] == [f"{services.base}/public/capsules/{OTHER}", missing]
    assert "Forge rate limit" in summary.failed[0][1] and "HTTP 404" in summary.failed[1][1]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{UUID}.json"]
    assert json.loads((tmp_path / f"{UUID}.json").read_text()) == capsule(UUID)


@contextmanager
def file_size_limit(size: int) -> Iterator[None]:
    """Writes past `size` bytes fail with EFBIG, as on a disk that fills up half way."""
    resource = pytest.importorskip("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an OSError, not the end of the process
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_a_save_that_fails_half_way_keeps_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`fetch --out` over an earlier fetch: the disk fills while the new capsule is written."""
    old = tmp_path / f"{UUID}.json"
    old.write_bytes(json.dumps(capsule(UUID)).encode())
    before = old.read_bytes()
    big = json.dumps({**capsule(UUID), "text": "x" * 200_000}).encode()
    forge = ForgeFetcher(OnlineOptions(trust_env=False))
    monkeypatch.setattr(forge, "fetch", lambda ref: big)
    with file_size_limit(64 * 1024), pytest.raises(OSError):
        fetch_many(forge, [UUID], tmp_path)
    assert old.read_bytes() == before  # not a truncated file over the old one
    assert sorted(p.name for p in tmp_path.iterdir()) == [old.name]  # no temporary file left
    summary = fetch_many(forge, [UUID], tmp_path)  # with room, the new one replaces it whole
    assert summary.saved == (old,) and old.read_bytes() == big
    assert sorted(p.name for p in tmp_path.iterdir()) == [old.name]
