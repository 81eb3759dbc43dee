"""Online verification verdicts: what the source says about one cited identifier."""

from __future__ import annotations

from collections.abc import Iterable
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
    failed: bool = Field(
        default=False,
        description="Unverifiable because no trustworthy answer came (service down, throttled, an odd"
        " answer, the run budget spent, not in the cache with --cache-only), not for want of a match.",
    )


def verdict_counts(verdicts: Iterable[Verdict]) -> dict[str, int]:
    """Verdicts per kind, every kind present in a fixed order (zero when none)."""
    counts = {kind.value: 0 for kind in VerdictKind}
    for verdict in verdicts:
        counts[verdict.verdict.value] += 1
    return counts


def verdict_summary(verdicts: Iterable[Verdict]) -> str:
    """'2 verified, 1 miscited, 1 fabricated, 0 unverifiable' (every kind, fixed order)."""
    return ", ".join(f"{n} {kind}" for kind, n in verdict_counts(verdicts).items())


def failed_count(verdicts: Iterable[Verdict]) -> int:
    """Identifiers left unverifiable because the lookup itself failed."""
    return sum(1 for verdict in verdicts if verdict.failed)


def verdict_line(verdicts: Iterable[Verdict]) -> str:
    """'online: 2 verified, 1 miscited, 1 fabricated, 0 unverifiable' (as `--online` prints it)."""
    return "online: " + verdict_summary(verdicts)
