"""Nature portfolio journal codes and the names a text may use for them (`data/journals.yaml`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Journal:
    """One journal: its DOI code, full name, and every accepted spelling (normalized)."""

    code: str
    name: str
    variants: tuple[str, ...]
    research: bool = True


def normalize_venue(text: str) -> str:
    """Lower-case words only: 'Nat. Mach. Intell.' -> 'nat mach intell', '&' -> 'and'."""
    text = text.lower().replace("&", " and ")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def journals_from_mapping(data: Any) -> dict[str, Journal]:
    """Build the code -> Journal table from the parsed YAML; ValueError when malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("journals"), dict):
        raise ValueError("journals: a 'journals' mapping is required")
    table: dict[str, Journal] = {}
    for code, entry in data["journals"].items():
        name = str(entry["name"])
        spellings = [name, *(str(v) for v in entry.get("variants") or ())]
        variants = tuple(dict.fromkeys(normalize_venue(s) for s in spellings))
        table[str(code).lower()] = Journal(
            str(code).lower(), name, variants, bool(entry.get("research", True))
        )
    return table


@cache
def load_journals() -> dict[str, Journal]:
    """The bundled journal table (read once per process)."""
    text = resources.files("capsule_audit.data").joinpath("journals.yaml").read_text("utf-8")
    return journals_from_mapping(yaml.safe_load(text))


def journal_for_code(code: str) -> Journal | None:
    """'s41563' -> Nature Materials; None for an unknown code."""
    return load_journals().get(code.lower())


def journal_for_venue(venue: str) -> Journal | None:
    """The known journal a venue text names, or None.

    The whole venue must be a spelling, or begin with one followed by more words that are not
    themselves part of a longer journal name ('Nature Materials 25, 101' names Nature Materials;
    'Nature Machine Intelligence' never falls back to 'Nature').
    """
    norm = normalize_venue(venue)
    best: tuple[int, Journal] | None = None
    for journal in load_journals().values():
        for variant in journal.variants:
            prefixes = norm == variant or norm.startswith(variant + " ")
            if prefixes and (best is None or len(variant) > best[0]):
                best = (len(variant), journal)
    if best is None:
        return None
    journal = best[1]
    if norm not in journal.variants and _names_unknown_journal(norm, best[0]):
        return None
    return journal


# Words that may follow a journal name without making it another name: dates, volumes, status.
_TRAILERS = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec", "vol", "volume", "issue", "no", "pp", "doi", "published",
        "online", "in", "press", "accepted", "article",
    }
)  # fmt: skip


def _names_unknown_journal(norm: str, matched: int) -> bool:
    """'nature machine learning' matched only 'nature': the next word reads as more of a name,
    not as a date, volume or page (those follow a journal name: 'Nature Materials, April 2026')."""
    rest = norm[matched:].split()
    return bool(rest) and rest[0].isalpha() and rest[0] not in _TRAILERS


def venue_matches(journal: Journal, venue: str) -> bool:
    """True when `venue` names `journal` (any accepted spelling)."""
    found = journal_for_venue(venue)
    return found is not None and found.code == journal.code
