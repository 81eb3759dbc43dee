"""DOIs: normalize the written forms, check the syntax, and read Nature portfolio DOIs.

Syntax `10.NNNN(.N)*/suffix`, case-insensitive, so keys are lower-cased. Nature portfolio DOIs
`10.1038/s<code>-0YY-<serial>-<check>` carry a journal code and the year the DOI was made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

_FORMS = re.compile(
    r"^(?:doi:\s*|(?:https?://)?(?:dx\.)?doi\.org/|(?:https?://)?(?:www\.)?nature\.com/articles/)",
    re.I,
)
_NATURE_URL = re.compile(r"^(?:https?://)?(?:www\.)?nature\.com/articles/", re.I)
_PREFIX = re.compile(r"^10\.\d{4,9}(?:\.\d+)*$")
_NATURE = re.compile(
    r"^(?P<kind>[sd])(?P<code>\d{5})-0(?P<yy>\d{2})-(?P<serial>\d{4,5})-(?P<check>[0-9a-z])$"
)
_NATURE_LIKE = re.compile(r"^[sd]\d{5}-")


def normalize_doi(text: str) -> str | None:
    """The bare lower-case DOI ('10.1038/s41563-026-01234-3') from any accepted form.

    `doi:`, `https://doi.org/`, `dx.doi.org` and `nature.com/articles/<suffix>` (prefix 10.1038)
    are accepted. Returns None when `text` does not start like a DOI.
    """
    text = unquote(text.strip())
    if text.lower().startswith("doi:"):
        text = text[4:].strip()
    if _NATURE_URL.match(text):
        return "10.1038/" + _NATURE_URL.sub("", text).split("?")[0].split("#")[0].lower()
    text = _FORMS.sub("", text)
    if not text.startswith("10."):
        return None
    return text.lower()


def doi_problems(doi: str) -> tuple[str, ...]:
    """What makes a (normalized) DOI malformed; empty when it is well formed."""
    prefix, slash, suffix = doi.partition("/")
    found: list[str] = []
    if not _PREFIX.match(prefix):
        found.append(f"prefix '{prefix}' is not 10.NNNN")
    if not slash or not suffix:
        found.append("no suffix after the prefix")
    elif any(ch.isspace() or ord(ch) < 0x20 for ch in suffix):
        found.append("suffix contains whitespace or control characters")
    elif suffix[-1] in ".,;:)]}'\"":
        found.append(f"suffix ends with '{suffix[-1]}' (punctuation taken from the sentence?)")
    if prefix == "10.1038" and _NATURE_LIKE.match(suffix) and not _NATURE.match(suffix):
        found.append("not of the Nature form s<code>-0YY-<serial>-<check>")
    return tuple(found)


@dataclass(frozen=True, slots=True)
class NatureDoi:
    """The parts of a Nature portfolio DOI."""

    code: str  # journal code with its letter: 's41563'
    year: int  # year the DOI was made
    serial: str
    check: str


def parse_nature(doi: str) -> NatureDoi | None:
    """Read `10.1038/s<code>-0YY-<serial>-<check>`; None for any other DOI."""
    prefix, _, suffix = doi.lower().partition("/")
    if prefix != "10.1038":
        return None
    match = _NATURE.match(suffix)
    if not match:
        return None
    return NatureDoi(
        code=match["kind"] + match["code"],
        year=2000 + int(match["yy"]),
        serial=match["serial"],
        check=match["check"],
    )


def doi_from_key(key: str) -> str | None:
    """'doi:10.1038/x' -> '10.1038/x'; None for a key of another scheme."""
    return key[4:] if key.startswith("doi:") else None
