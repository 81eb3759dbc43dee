"""Fetch capsules from Forge Cascade's public pages, politely.

Forge answers throttling with HTTP 200 and `{"error": "Rate limit exceeded"}` (no headers) and
recovers in 5-10 s: such a body is retried after a back-off of at least `forge_throttle_delay`,
and an error body is never returned (or saved) as a capsule.
"""

from __future__ import annotations

import json
import random
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from capsule_audit.atomic import write_bytes_atomically
from capsule_audit.errors import CapsuleAuditError
from capsule_audit.online.breaker import RunBudget
from capsule_audit.online.http import PoliteSession, make_client, open_session
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.ratelimit import Clock, Sleep

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class FetchError(CapsuleAuditError):
    """One capsule could not be fetched (throttled too long, not found, not a capsule)."""


def capsule_uuid(ref: str) -> str:
    """The capsule uuid in a bare uuid or a capsule URL (lower-case); FetchError if none."""
    match = _UUID.search(ref)
    if match is None:
        raise FetchError(f"not a capsule uuid or URL: {ref!r}")
    return str(uuid.UUID(match.group(0)))


def _decode(body: bytes) -> object:
    try:
        return json.loads(body)
    except ValueError:
        return None


def throttle_reason(body: bytes) -> str | None:
    """Why a 200 body is Forge's rate-limit answer rather than content, or None."""
    data = _decode(body)
    if isinstance(data, dict) and "rate limit" in str(data.get("error", "")).lower():
        return f"Forge rate limit ({data['error']})"
    return None


def is_capsule(body: bytes) -> bool:
    """A JSON object with an @id (or @graph) and no `error` member."""
    data = _decode(body)
    return isinstance(data, dict) and "error" not in data and ("@id" in data or "@graph" in data)


@dataclass
class ForgeFetcher:
    """Rate-limited capsule fetches over one client; close() when done."""

    options: OnlineOptions
    clock: Clock = time.monotonic
    sleep: Sleep = time.sleep
    rng: random.Random = field(default_factory=random.Random)
    transport: httpx.BaseTransport | None = None
    _session: PoliteSession | None = field(default=None, init=False)

    def _get_session(self) -> PoliteSession:
        if self._session is None:
            self._session = open_session(
                "Forge",
                make_client(self.options, transport=self.transport),
                self.options,
                interval=self.options.forge_min_interval,
                clock=self.clock,
                sleep=self.sleep,
                rng=self.rng,
                budget=RunBudget(self.options.run_budget, self.clock),
            )
        return self._session

    @property
    def requests(self) -> int:
        """Requests sent so far, retries included."""
        return self._session.requests if self._session is not None else 0

    def url_for(self, ref: str) -> str:
        """A capsule URL as given, or the public URL of a bare uuid."""
        if ref.startswith(("http://", "https://")):
            return ref
        return f"{self.options.forge_base_url.rstrip('/')}/public/capsules/{capsule_uuid(ref)}"

    def fetch(self, ref: str) -> bytes:
        """The capsule's JSON bytes; FetchError when it cannot be had."""
        url = self.url_for(ref)
        session = self._get_session()
        outcome = session.request(
            "GET",
            url,
            headers={"Accept": "application/ld+json, application/json"},
            body_check=lambda r: throttle_reason(r.content),
            min_delay=self.options.forge_throttle_delay,
        )
        if outcome.response is None:
            raise FetchError(f"{url}: {outcome.failure}")
        if outcome.response.status_code != 200:
            raise FetchError(f"{url}: HTTP {outcome.response.status_code}")
        if not is_capsule(outcome.response.content):
            raise FetchError(f"{url}: the answer is not a capsule: {outcome.response.content[:120]!r}")
        return outcome.response.content

    def close(self) -> None:
        """Close the client, if one was built."""
        if self._session is not None:
            self._session.client.close()


@dataclass(frozen=True)
class FetchSummary:
    """What `fetch_many` saved and what failed (ref, reason), in input order."""

    saved: tuple[Path, ...]
    failed: tuple[tuple[str, str], ...]


def fetch_many(
    fetcher: ForgeFetcher,
    refs: Iterable[str],
    out_dir: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> FetchSummary:
    """Fetch each capsule and save it as `<uuid>.json` under `out_dir`; failures are listed."""
    todo = list(dict.fromkeys(r.strip() for r in refs if r.strip() and not r.strip().startswith("#")))
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    failed: list[tuple[str, str]] = []
    for done, ref in enumerate(todo, start=1):
        try:
            body = fetcher.fetch(ref)
            target = out_dir / f"{capsule_uuid(ref)}.json"
            write_bytes_atomically(target, body)  # never a truncated file over an earlier fetch
            saved.append(target)
        except FetchError as exc:
            failed.append((ref, str(exc)))
        if progress is not None:
            progress(done, len(todo))
    return FetchSummary(saved=tuple(saved), failed=tuple(failed))


def make_fetch_url(fetcher: ForgeFetcher) -> Callable[[str], bytes]:
    """A `fetch_url` for `loading.iter_documents`: capsule URLs through the polite fetcher."""
    return fetcher.fetch
