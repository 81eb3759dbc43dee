"""Placeholder-like serial numbers: 00000, 01234, 12345, 98765 are what invented identifiers use."""

from __future__ import annotations

import itertools
import re
from urllib.parse import urlsplit

from capsule_audit.identifiers.arxiv import parse_arxiv
from capsule_audit.identifiers.doi import doi_from_key, parse_nature

_MIN_DIGITS = 4
_DIGIT_RUN = re.compile(r"\d+")


def is_placeholder_serial(digits: str) -> bool:
    """True for a run of at least four digits that repeats one digit or counts up or down by one.

    '00000', '1111', '01234', '12345', '98765', '43210' are placeholders; '01567', '2026' are not.
    """
    if len(digits) < _MIN_DIGITS or not (digits.isascii() and digits.isdigit()):
        return False
    steps = {int(b) - int(a) for a, b in itertools.pairwise(digits)}
    return steps in ({0}, {1}, {-1})


def placeholder_part(key: str) -> str | None:
    """The placeholder-like serial inside a citation key, or None.

    arXiv: the sequence; DOI: a Nature serial, else any digit run of the suffix; URL: a digit run
    in the last path segment ('poster/98765'). Titles are never placeholders.
    """
    if key.startswith("arxiv:"):
        aid = parse_arxiv(key)
        return aid.sequence if aid and is_placeholder_serial(aid.sequence) else None
    doi = doi_from_key(key)
    if doi is not None:
        nature = parse_nature(doi)
        if nature is not None:
            return nature.serial if is_placeholder_serial(nature.serial) else None
        return _first_placeholder_run(doi.partition("/")[2])
    if key.startswith("url:"):
        path = urlsplit(key[4:]).path.rstrip("/")
        return _first_placeholder_run(path.rsplit("/", 1)[-1])
    return None


def _first_placeholder_run(text: str) -> str | None:
    for match in _DIGIT_RUN.finditer(text):
        if is_placeholder_serial(match.group()):
            return match.group()
    return None
