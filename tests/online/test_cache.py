"""The SQLite answer cache."""

from __future__ import annotations

from pathlib import Path

from capsule_audit.online.cache import CACHE_FILE, AnswerCache, default_cache_dir
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.results import Lookup, LookupStatus

FOUND = Lookup(service="arxiv", identifier="2604.04501", status=LookupStatus.FOUND, title="SAAT")


def test_answers_survive_reopening_and_come_back_marked_cached(tmp_path: Path) -> None:
    cache = AnswerCache.from_options(OnlineOptions(cache_dir=tmp_path))
    cache.put(FOUND)
    cache.close()
    again = AnswerCache.from_options(OnlineOptions(cache_dir=tmp_path))
    got = again.get("arxiv", "2604.04501")
    assert got is not None and got.cached and got.model_copy(update={"cached": False}) == FOUND
    assert again.get("crossref", "2604.04501") is None  # keyed by service too
    assert (tmp_path / CACHE_FILE).exists()


def test_entries_expire_after_the_ttl() -> None:
    now = [1000.0]
    cache = AnswerCache(":memory:", ttl=60, clock=lambda: now[0])
    cache.put(FOUND)
    now[0] += 59
    assert cache.get("arxiv", "2604.04501") is not None
    now[0] += 2
    assert cache.get("arxiv", "2604.04501") is None


def test_failures_are_not_stored_and_refresh_skips_reads() -> None:
    cache = AnswerCache(":memory:", ttl=60)
    cache.put(Lookup.failed("arxiv", "2604.01567", "HTTP 503 after 5 attempts"))
    assert cache.get("arxiv", "2604.01567") is None
    cache.put(FOUND)
    cache.refresh = True
    assert cache.get("arxiv", "2604.04501") is None


def test_default_directory_is_the_user_cache_dir() -> None:
    assert default_cache_dir().name == "capsule-audit"
