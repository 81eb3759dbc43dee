"""Online verification verdicts: what the source says about one cited identifier."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class VerdictKind(StrEnum):
    VERIFIED = "verified"
    """Exists and matches what the claims credit to it."""
    MISCITED = "miscited"
    """Exists, but is a different paper."""
    FABRICATED = "fabricated"
    """Confirmed not to exist (after retries)."""
    UNVERIFIABLE = "unverifiable"
    """The service failed, throttled, or an empty answer could not be confirmed."""


class Verdict(BaseModel):
    """The verdict on one cited identifier, with the evidence it rests on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(description="Normalized identifier, e.g. 'arxiv:2604.01234'.")
    verdict: VerdictKind
    service: str = Field(description="'arxiv', 'crossref', 'doi.org', 'arxiv-title-search'.")
    title_found: str | None = None
    authors_found: tuple[str, ...] = ()
    date_found: date | None = None
    score: float | None = Field(
        default=None, description="Best similarity (0-100) of what is credited vs found."
    )
    detail: str = ""
    cached: bool = False
