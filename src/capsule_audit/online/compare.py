"""What a claim credits to a cited identifier, and how well a record's title matches it.

Pure functions, shared by `verify` (the per-identifier verdict) and the CA70x rules (which
capsules of a group credit something the record is not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from capsule_audit.models.claims import Claim

_WORD = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


@dataclass(frozen=True, order=True)
class Credit:
    """The method a claim attributes to an identifier: a name, an acronym, or both."""

    name: str | None = None
    acronym: str | None = None

    def label(self) -> str:
        """'Name (ACR)', 'Name' or 'ACR'."""
        if self.name and self.acronym:
            return f"{self.name} ({self.acronym})"
        return self.name or self.acronym or ""


def credit_of(claim: Claim | None) -> Credit | None:
    """The claim's method as a Credit, or None when it credits no method."""
    if claim is None or claim.method is None:
        return None
    name = (claim.method.name or "").strip() or None
    acronym = (claim.method.acronym or "").strip() or None
    if name is None and acronym is None:
        return None
    return Credit(name=name, acronym=acronym)


def _acronym_in(acronym: str, title: str) -> bool:
    """The acronym stands in the title as a word or a hyphenated part ('SAAT:', 'DPO-UW')."""
    target = acronym.upper()
    return any(target in (word.upper(), *word.upper().split("-")) for word in _WORD.findall(title))


def credit_score(credit: Credit, title: str) -> float:
    """Similarity (0-100) of a credited method and a record's title.

    The name is compared as a token set (a title often adds words: 'SAAT: Sparse Activation
    Alignment Training for Efficient LLMs'); an acronym standing in the title is a full match.
    """
    scores = [0.0]
    if credit.name:
        scores.append(float(fuzz.token_set_ratio(credit.name, title, processor=utils.default_process)))
    if credit.acronym and _acronym_in(credit.acronym, title):
        scores.append(100.0)
    return max(scores)
