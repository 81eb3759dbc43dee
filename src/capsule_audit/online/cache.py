"""A persistent answer cache: SQLite under the user cache directory, keyed by service + identifier.

Only definitive answers (found, absent) are stored; a failed lookup is retried next run. With a
fresh cache a second run over the same dump makes no request at all.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from platformdirs import user_cache_dir
from pydantic import ValidationError

from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.results import Lookup, LookupStatus

CACHE_FILE = "online-v1.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    service TEXT NOT NULL,
    identifier TEXT NOT NULL,
    stored REAL NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (service, identifier)
)
"""


def default_cache_dir() -> Path:
    """The per-user cache directory (e.g. ~/.cache/capsule-audit)."""
    return Path(user_cache_dir("capsule-audit", appauthor=False))


class AnswerCache:
    """Get and put lookups; `refresh` skips reads, `ttl` (seconds) expires old answers."""

    def __init__(
        self,
        path: Path | str,
        *,
        ttl: float,
        refresh: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path))
        self._db.execute(_SCHEMA)
        self._db.commit()
        self.ttl = ttl
        self.refresh = refresh
        self.clock = clock

    @classmethod
    def from_options(cls, options: OnlineOptions, *, clock: Callable[[], float] = time.time) -> AnswerCache:
        """The cache file under `options.cache_dir` or the user cache directory."""
        directory = options.cache_dir or default_cache_dir()
        return cls(directory / CACHE_FILE, ttl=options.ttl_days * 86400, refresh=options.refresh, clock=clock)

    def get(self, service: str, identifier: str) -> Lookup | None:
        """A fresh stored answer, marked `cached`, or None."""
        if self.refresh:
            return None
        row = self._db.execute(
            "SELECT stored, payload FROM answers WHERE service = ? AND identifier = ?",
            (service, identifier),
        ).fetchone()
        if row is None or self.clock() - float(row[0]) > self.ttl:
            return None
        try:
            lookup = Lookup.model_validate_json(row[1])
        except ValidationError:
            return None  # written by an incompatible version: look it up again
        return lookup.model_copy(update={"cached": True})

    def put(self, lookup: Lookup) -> None:
        """Store a definitive answer; failures are not stored."""
        if lookup.status is LookupStatus.FAILED:
            return
        payload = lookup.model_copy(update={"cached": False}).model_dump_json()
        self._db.execute(
            "INSERT OR REPLACE INTO answers (service, identifier, stored, payload) VALUES (?, ?, ?, ?)",
            (lookup.service, lookup.identifier, self.clock(), payload),
        )
        self._db.commit()

    def close(self) -> None:
        """Close the database."""
        self._db.close()
