"""Shared test fixtures, and the network guard: no test may open a socket unless it says so.

An audit hook (PEP 578) sees every socket creation, connect and name lookup in this process. By
default any of them fails the test; a test marked `loopback_network` may talk to 127.0.0.1/::1
only (the online-verification tests run their own local server). Audit hooks cannot be removed,
so the hook consults a module-level policy that the autouse fixture sets per test.
"""

from __future__ import annotations

import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = FIXTURES / "seeds"
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "reference"

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_policy: dict[str, Any] = {"mode": "deny", "violations": []}


class NetworkForbidden(RuntimeError):
    """Raised inside the code under test when it touches the network."""


def _is_loopback(host: object) -> bool:
    return isinstance(host, str) and (host in _LOOPBACK or host.startswith("127."))


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event not in ("socket.connect", "socket.getaddrinfo", "socket.__new__"):
        return
    mode = _policy["mode"]
    if mode == "off":
        return
    if event == "socket.__new__":
        family = args[1]
        if family not in (socket.AF_INET, socket.AF_INET6):
            return  # AF_UNIX socketpairs (event loops) are not network
        if mode == "loopback":
            return  # creation is fine; where it connects is checked below
    elif event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else address
        if mode == "loopback" and _is_loopback(host):
            return
    elif event == "socket.getaddrinfo" and mode == "loopback" and _is_loopback(args[0]):
        return
    _policy["violations"].append((event, repr(args[1:])[:200]))
    raise NetworkForbidden(f"network access during a test: {event} {args[1:]!r}"[:300])


sys.addaudithook(_audit)


@pytest.fixture(autouse=True)
def network_guard(request: pytest.FixtureRequest) -> Iterator[list[tuple[str, str]]]:
    """Deny the network for every test; `@pytest.mark.loopback_network` allows loopback only."""
    mode = "loopback" if request.node.get_closest_marker("loopback_network") else "deny"
    _policy["mode"] = mode
    _policy["violations"] = []
    yield _policy["violations"]
    violations = list(_policy["violations"])
    _policy["mode"] = "off"
    assert not violations, f"test touched the network: {violations}"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "loopback_network: may open sockets to 127.0.0.1 / ::1 only")
    # Tests run the CLI in-process; the policy is off between tests (collection, xdist setup).
    _policy["mode"] = "off"


@pytest.fixture
def signals_restored() -> Iterator[None]:
    """SIGINT's and SIGTERM's handlers put back after the test (`cli.main` installs its own)."""
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


def require_reference(*parts: str) -> Path:
    """The path under ../shared/reference, or skip: it exists in CI, not in a user's clone."""
    path = REFERENCE.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference material not available: {path} (only present beside the CI checkout)")
    return path
