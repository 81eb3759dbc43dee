"""What a service said about one identifier: found (with its metadata), absent, or failed."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class LookupStatus(StrEnum):
    FOUND = "found"
    """The service holds the identifier."""
    ABSENT = "absent"
    """Confirmed unknown (HTTP 404, a rejected ID, or an empty answer repeated)."""
    FAILED = "failed"
    """No trustworthy answer: errors, throttling or unconfirmed empties. Never cached."""


class Lookup(BaseModel):
    """One service's answer about one identifier; cached as JSON when not FAILED."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    service: str
    identifier: str
    status: LookupStatus
    title: str | None = None
    authors: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    published: date | None = None
    venue: str | None = None
    url: str | None = None
    detail: str = ""
    cached: bool = False

    @classmethod
    def failed(cls, service: str, identifier: str, detail: str) -> Lookup:
        """A lookup that ended without a trustworthy answer."""
        return cls(service=service, identifier=identifier, status=LookupStatus.FAILED, detail=detail)

    @classmethod
    def absent(cls, service: str, identifier: str, detail: str) -> Lookup:
        """A lookup that confirmed the identifier does not exist."""
        return cls(service=service, identifier=identifier, status=LookupStatus.ABSENT, detail=detail)
