"""Monthly ceilings for arXiv sequence numbers, read from `data/arxiv_ceilings.yaml`.

The figures are data, not code: they change as arXiv grows, and an editor may tune them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from capsule_audit.identifiers.arxiv import ArxivId


@dataclass(frozen=True)
class Ceilings:
    """Sequence ceilings: month overrides, yearly ceilings, and the absolute maximum."""

    absolute_max: int
    yearly: dict[int, int] = field(default_factory=dict)
    monthly: dict[str, int] = field(default_factory=dict)

    def for_month(self, year: int, month: int) -> int:
        """The highest plausible sequence for a month (see the data file for the lookup order)."""
        yymm = f"{year % 100:02d}{month:02d}"
        if yymm in self.monthly:
            return min(self.monthly[yymm], self.absolute_max)
        later = [y for y in self.yearly if y >= year]
        if not later:
            return self.absolute_max
        return min(self.yearly[min(later)], self.absolute_max)


def ceilings_from_mapping(data: Any) -> Ceilings:
    """Build Ceilings from the parsed YAML; raises ValueError on a malformed data file."""
    if not isinstance(data, dict) or not isinstance(data.get("absolute_max"), int):
        raise ValueError("arxiv ceilings: 'absolute_max' (an integer) is required")
    yearly = {int(k): int(v) for k, v in (data.get("yearly") or {}).items()}
    monthly = {str(k).zfill(4): int(v) for k, v in (data.get("monthly") or {}).items()}
    return Ceilings(absolute_max=data["absolute_max"], yearly=yearly, monthly=monthly)


@cache
def load_ceilings() -> Ceilings:
    """The bundled ceilings (read once per process)."""
    text = resources.files("capsule_audit.data").joinpath("arxiv_ceilings.yaml").read_text("utf-8")
    return ceilings_from_mapping(yaml.safe_load(text))


def sequence_ceiling(aid: ArxivId, ceilings: Ceilings | None = None) -> int | None:
    """The ceiling for a new-scheme identifier's month; None for the old scheme or a bad month."""
    if aid.scheme != "new" or not 1 <= aid.month <= 12:
        return None
    if ceilings is None:
        return _bundled_ceiling(aid.year, aid.month)
    return ceilings.for_month(aid.year, aid.month)


@cache
def _bundled_ceiling(year: int, month: int) -> int:
    # A few hundred months at most; the lookup formats a key and scans the yearly table.
    return load_ceilings().for_month(year, month)


def is_implausible(aid: ArxivId, ceilings: Ceilings | None = None) -> bool:
    """True when the sequence is above its month's ceiling."""
    ceiling = sequence_ceiling(aid, ceilings)
    return ceiling is not None and aid.sequence.isdigit() and int(aid.sequence) > ceiling
