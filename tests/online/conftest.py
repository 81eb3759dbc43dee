"""Fixtures of the online tests: the local services, a fake clock, options pointing at them."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.ratelimit import FakeClock
from capsule_audit.online.verify import Runtime
from tests.online.fake_services import FakeServices


@pytest.fixture
def services() -> Iterator[FakeServices]:
    running = FakeServices().start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def options_for(services: FakeServices, cache_dir: Path, **overrides: object) -> OnlineOptions:
    """Options aimed at the local services: short timeouts, no proxies from the environment."""
    values: dict[str, object] = {
        "arxiv_api_url": f"{services.base}/api/query",
        "crossref_api_url": services.base,
        "doi_resolver_url": f"{services.base}/doi",
        "forge_base_url": services.base,
        "cache_dir": cache_dir,
        "timeout": 0.3,
        "trust_env": False,
        "max_retries": 3,
        "mailto": "editor@example.org",
    }
    values.update(overrides)
    return OnlineOptions.model_validate(values)


def runtime_for(clock: FakeClock, seed: int = 1) -> Runtime:
    """Fake time (sleeps are recorded, not waited) and a seeded jitter RNG."""
    return Runtime(clock=clock, sleep=clock.sleep, rng=random.Random(seed))


class TickingClock(FakeClock):
    """A fake clock that also moves `tick` seconds each time it is read: work that reads it in
    a loop (a body read chunk by chunk) uses up a deadline without any real waiting."""

    def __init__(self, tick: float) -> None:
        super().__init__()
        self.tick = tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now
