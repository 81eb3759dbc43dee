"""arXiv identifiers: parse every written form, check the scheme's rules, and date the assignment.

New scheme (April 2007 on): `YYMM.NNNN` through 1412, `YYMM.NNNNN` from 1501, optional `vN`.
Old scheme (August 1991 to March 2007): `archive[.SC]/YYMMNNN`. Parsing is deliberately loose so
that a malformed identifier is still recognised as an arXiv identifier; `problems()` then says what
is wrong with it. Nothing here raises on bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

# Archives of the old scheme (before 0704); subject classes (math.GT, cs.AI) hang off these.
OLD_ARCHIVES = frozenset(
    {
        "acc-phys", "adap-org", "alg-geom", "ao-sci", "astro-ph", "atom-ph", "bayes-an",
        "chao-dyn", "chem-ph", "cmp-lg", "comp-gas", "cond-mat", "cs", "dg-ga", "funct-an",
        "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math", "math-ph", "mtrl-th", "nlin",
        "nucl-ex", "nucl-th", "patt-sol", "physics", "plasm-ph", "q-alg", "q-bio", "quant-ph",
        "solv-int", "supr-con",
    }
)  # fmt: skip

_PREFIX = r"(?:arxiv:|(?:https?://)?(?:export\.)?arxiv\.org/(?:abs|pdf)/|10\.48550/arxiv\.)?"
_NEW = re.compile(_PREFIX + r"(?P<yymm>\d{4})\.(?P<seq>\d{1,6})(?:v(?P<ver>\d+))?(?:\.pdf)?", re.I | re.A)
_OLD = re.compile(
    _PREFIX + r"(?P<archive>[a-z][a-z-]*)(?P<sc>\.[a-z][a-z-]*)?/(?P<yymm>\d{4})(?P<seq>\d{1,4})"
    r"(?:v(?P<ver>\d+))?(?:\.pdf)?",
    re.I | re.A,
)


@dataclass(frozen=True, slots=True)
class ArxivId:
    """A parsed arXiv identifier, possibly malformed (see `problems`)."""

    scheme: Literal["new", "old"]
    yymm: str
    sequence: str  # digits as written, leading zeros kept
    version: str | None = None  # digits after 'v', as written
    archive: str | None = None  # old scheme only, lower-case
    subject_class: str | None = None  # old scheme only, e.g. 'GT'

    @property
    def year(self) -> int:
        """Four-digit year of assignment (old scheme: 91-99 are 1990s)."""
        yy = int(self.yymm[:2])
        if self.scheme == "old" and yy >= 91:
            return 1900 + yy
        return 2000 + yy

    @property
    def month(self) -> int:
        return int(self.yymm[2:])

    @property
    def key(self) -> str:
        """The normalized citation key, version left out: 'arxiv:2604.01234', 'arxiv:hep-th/9901001'."""
        if self.scheme == "new":
            return f"arxiv:{self.yymm}.{self.sequence}"
        sc = f".{self.subject_class}" if self.subject_class else ""
        return f"arxiv:{self.archive}{sc}/{self.yymm}{self.sequence}"


def parse_arxiv(text: str, version: str | None = None) -> ArxivId | None:
    """Parse one arXiv identifier in any accepted form ('arxiv:…', abs/pdf URLs, DataCite DOI).

    `version` ('v2' or '2') overrides a version in `text`, for keys that keep it apart.
    Returns None when `text` is not shaped like an arXiv identifier at all.
    """
    text = text.strip()
    ver = version.lstrip("vV") if version else None
    match = _NEW.fullmatch(text)
    if match:
        return ArxivId("new", match["yymm"], match["seq"], ver or match["ver"])
    match = _OLD.fullmatch(text)
    if match:
        sc = match["sc"][1:] if match["sc"] else None
        return ArxivId(
            "old",
            match["yymm"],
            match["seq"],
            ver or match["ver"],
            archive=match["archive"].lower(),
            subject_class=sc,
        )
    return None


def problems(aid: ArxivId) -> tuple[str, ...]:
    """What makes the identifier malformed, in reading order; empty when it is well formed."""
    found: list[str] = []
    yymm, month = int(aid.yymm), aid.month
    if not 1 <= month <= 12:
        found.append(f"month {aid.yymm[2:]} is outside 01-12")
    if aid.scheme == "new":
        if yymm < 704:
            found.append(f"{aid.yymm} predates the new scheme (0704)")
        expected = 4 if yymm <= 1412 else 5
        if len(aid.sequence) != expected:
            found.append(f"{len(aid.sequence)}-digit sequence; {aid.yymm} uses {expected} digits")
    else:
        if aid.archive not in OLD_ARCHIVES:
            found.append(f"unknown old-style archive '{aid.archive}'")
        if 703 < yymm < 9108:
            found.append(f"{aid.yymm} is outside the old scheme (9108-0703)")
        if len(aid.sequence) != 3:
            found.append(f"{len(aid.sequence)}-digit sequence; the old scheme uses 3 digits")
    if aid.sequence and int(aid.sequence) == 0:
        found.append("sequence 0 is never assigned")
    if aid.version is not None:
        if not aid.version.isdecimal():
            found.append(f"version v{aid.version} is not a number")
        elif int(aid.version) == 0:
            found.append("version v0 does not exist (versions start at v1)")
        elif aid.version.startswith("0"):
            found.append(f"version v{aid.version} has a leading zero")
    return tuple(found)


def assigned_month(aid: ArxivId) -> date | None:
    """First day of the month the identifier was assigned; None when the month is invalid."""
    if not 1 <= aid.month <= 12:
        return None
    return date(aid.year, aid.month, 1)
