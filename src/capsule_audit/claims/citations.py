"""Finding citations in text: arXiv IDs, DOIs, URLs and quoted paper titles, with their spans.

Each citation keeps its raw text and span, and any venue or date written beside it on the same
line ('Nature Machine Intelligence, April 10, 2026 – doi:10.1038/...').
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from capsule_audit.claims.construct import citation as new_citation
from capsule_audit.claims.construct import make, replace, span
from capsule_audit.claims.dates import stated_date
from capsule_audit.claims.identifiers import (
    ARXIV_ARCHIVES,
    arxiv_citation,
    doi_citation,
    normalize_identifier,
    strip_trailing,
    url_citation,
)
from capsule_audit.models.claims import Citation

__all__ = [
    "add_citations",
    "dedupe_citations",
    "find_citations",
    "normalize_identifier",
    "title_key",
]

_IDENTIFIER = re.compile(
    r"(?P<url>(?:https?://|www\.|(?<![\w./])(?:export\.)?arxiv\.org/|(?<![\w./])(?:dx\.)?doi\.org/)"
    r"[^\s<>\"'\[\]{}|\\^`]+)"
    r"|(?P<arxiv>(?<![\w/])arxiv\s*:\s*[\w./-]*\w)"
    r"|(?P<doi>(?<![\w/.])(?:doi\s*:\s*)?10\.\d{4,9}(?:\.\d+)*/[^\s\"<>\[\]]+)"
    rf"|(?P<old>(?<![\w/.-]){ARXIV_ARCHIVES}(?:\.[A-Z]{{2}})?/\d{{7}}(?:v\d+)?(?![\w/]))",
    re.IGNORECASE,
)
# Every _IDENTIFIER match but the old-style arXiv form starts where one of these does; trying the
# big pattern only there skips its costly scan of every position. Same flags, same literals.
_CANDIDATE = re.compile(
    r"h(?=ttps?://)|w(?=ww\.)|e(?=xport\.)|a(?=rxiv)|d(?=oi|x\.)|1(?=0\.\d)", re.IGNORECASE
)
# On ASCII text, where lower-casing keeps positions, plain substring search finds a superset of
# those starts far faster than the case-insensitive pattern, which tries every position.
_NEEDLES = ("http", "www.", "export.", "arxiv", "doi", "dx.", "10.")
_OLD_STYLE = re.compile(r"/\d{7}")  # old-style IDs ('hep-th/9901001') are rare: full scan then
# A Sources line that is one bare URL and nothing else (the common case): the URL alternative of
# _IDENTIFIER matches it whole, and nothing is written beside it.
_BARE_URL = re.compile(r"https?://[^\s<>\"'\[\]{}|\\^`]+", re.IGNORECASE)
_TITLE = re.compile(r"\"(?P<a>[^\"\n]{6,300})\"|“(?P<b>[^”\n]{6,300})”")
_NOT_MONTH = r"(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b)"
_VENUES = (
    rf"Nature(?: {_NOT_MONTH}[A-Z][a-z]+){{0,3}}",
    rf"npj(?: {_NOT_MONTH}[A-Z][a-z]+){{1,3}}",
    r"Science(?: Advances| Robotics)?",
    "Cell", "PNAS", "JMLR", "TMLR", "TACL", "NeurIPS", "ICML", "ICLR", "ACL", "EMNLP", "NAACL",
    "CVPR", "ICCV", "ECCV", "AAAI", "IJCAI", "KDD", "COLM", "SIGIR",
)  # fmt: skip
# '\b(?:Nature...|...)', written so that every alternative opens with its literal first letter,
# then checks the word boundary ('(?<!\wN)' after 'N'): a pattern that opens with literals lets
# the regex engine skip ahead to those letters instead of trying every position (3x faster).
_VENUE = re.compile(
    "(?:"
    + "|".join(rf"{venue[0]}(?<!\w{venue[0]}){venue[1:]}" for venue in _VENUES)
    + r")(?: \d{4})?(?![\w-])"
)
_WINDOW = 80
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def title_key(title: str) -> str:
    """The normalized key of a paper title: 'title:<lower-case, single-spaced title>'."""
    text = unicodedata.normalize("NFKC", title).translate(_APOSTROPHES).lower()
    return "title:" + " ".join(text.split()).strip(" .,;:!?")


def _looks_like_title(title: str) -> bool:
    words = title.split()
    return len(words) >= 2 and (title[0].isupper() or title[0].isdigit()) and "://" not in title


def _classify(kind: str, raw: str) -> Citation | None:
    if kind == "url":
        return url_citation(raw if "://" in raw or raw.lower().startswith("www.") else "https://" + raw, raw)
    if kind == "arxiv":
        return arxiv_citation(raw.split(":", 1)[1].strip(), raw)
    if kind == "doi":
        body = raw.split(":", 1)[1].strip() if raw.lower().startswith("doi") else raw
        return doi_citation(body, raw)
    return normalize_identifier(raw)


def _beside(text: str, start: int, end: int, low: int, high: int) -> tuple[str | None, str]:
    """Venue and the window text written beside the identifier at text[start:end]."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    window_start = max(line_start, low, start - _WINDOW)
    window_end = min(line_end, high, end + _WINDOW)
    window = text[window_start:start] + " " + text[end:window_end]
    venue = _VENUE.search(window)
    return (venue.group(0) if venue else None), window


def _identifier_matches(text: str) -> list[re.Match[str]]:
    """`list(_IDENTIFIER.finditer(text))`, trying the pattern only at candidate positions."""
    if _OLD_STYLE.search(text) is not None:
        return list(_IDENTIFIER.finditer(text))
    found: list[re.Match[str]] = []
    last = 0
    for position in _candidates(text):
        if position >= last:
            match = _IDENTIFIER.match(text, position)  # lookbehinds still see text[:position]
            if match is not None:
                found.append(match)
                last = match.end()
    return found


def _candidates(text: str) -> list[int]:
    """Positions, in order, where an identifier other than the old-style arXiv form may start."""
    if not text.isascii():
        return [candidate.start() for candidate in _CANDIDATE.finditer(text)]
    lowered = text.lower()
    found: list[int] = []
    for needle in _NEEDLES:
        position = lowered.find(needle)
        while position >= 0:
            found.append(position)
            position = lowered.find(needle, position + 1)
    found.sort()
    return found


def find_citations(text: str, offset: int = 0, *, titles: bool = True) -> list[Citation]:
    """Every citation written in `text`, in order; spans are shifted by `offset`.

    Every occurrence is returned, so one identifier written twice (a link's text and its URL)
    appears twice; `dedupe_citations` merges them.
    """
    # The substring test first: a regex call costs a microsecond even when it fails at once.
    if (
        text[:4].lower() == "http"
        and text.isascii()
        and _BARE_URL.fullmatch(text) is not None
        and strip_trailing(text) == text
    ):
        return [_bare_url(text, offset)]
    return scan_citations(text, offset, titles=titles)


def scan_citations(text: str, offset: int = 0, *, titles: bool = True) -> list[Citation]:
    """`find_citations` without the bare-URL shortcut: the general path, and its reference."""
    found: list[tuple[int, int, Citation]] = []
    # Every identifier form has a '/' or an 'arXiv:'/'doi:' prefix; most sentences have neither,
    # and the full scan is the costliest step of extraction.
    has_identifier = "/" in text or (":" in text and ("arxiv" in text.lower() or "doi" in text.lower()))
    if not has_identifier and not (titles and ('"' in text or "“" in text)):
        return []  # most sentences cite nothing: skip the bookkeeping below
    for match in _identifier_matches(text) if has_identifier else ():
        kind = match.lastgroup or ""
        raw = strip_trailing(match.group(0))
        if not raw:
            continue
        classified = _classify(kind, raw)
        if classified is not None:
            found.append((match.start(), match.start() + len(raw), classified))
    if titles and ('"' in text or "“" in text):
        # Identifier spans are in order and apart, and titles come in order: one pointer walks
        # both (a scan of every identifier for every title was quadratic).
        taken = [(start, end) for start, end, _ in found]
        below = 0  # taken[:below] end before every title still to come
        for match in _TITLE.finditer(text):
            title = (match.group("a") or match.group("b") or "").strip()
            while below < len(taken) and taken[below][1] <= match.start():
                below += 1
            if not _looks_like_title(title) or (below < len(taken) and taken[below][0] < match.end()):
                continue
            found.append(
                (match.start(), match.end(), new_citation("title", title_key(title), match.group(0)))
            )
        found.sort(key=lambda item: item[0])
    result: list[Citation] = []
    for index, (start, end, found_citation) in enumerate(found):
        values = dict(found_citation.__dict__)  # a copy: normalized citations are cached, shared
        values["span"] = span(start + offset, end + offset)
        if found_citation.scheme != "title":
            low = found[index - 1][1] if index else 0
            high = found[index + 1][0] if index + 1 < len(found) else len(text)
            values["venue"], window = _beside(text, start, end, low, high)
            values["stated_date"], values["stated_precision"] = stated_date(window) or (None, "day")
        result.append(make(Citation, values))
    return result


def _bare_url(url: str, offset: int) -> Citation:
    """`find_citations(url, offset)` of a line that is one bare URL: its one citation, directly."""
    values = dict(url_citation(url, url).__dict__)  # a copy: normalized citations are cached
    values["span"] = span(offset, offset + len(url))
    values["venue"] = values["stated_date"] = None  # nothing is written beside it
    return make(Citation, values)


def dedupe_citations(citations: Iterable[Citation]) -> list[Citation]:
    """One citation per key, first occurrence first; venue, date and version filled from later ones."""
    merged: dict[str, Citation] = {}
    add_citations(merged, citations)
    return list(merged.values())


def add_citations(merged: dict[str, Citation], citations: Iterable[Citation]) -> None:
    """Add `citations` to `merged` (one per key) as `dedupe_citations` merges them.

    Adding to the same dict sentence after sentence costs each citation once; re-deduplicating
    the whole list at every sentence of a method item cost N*N/2.
    """
    for citation in citations:
        first = merged.get(citation.key)
        if first is None:
            merged[citation.key] = citation
            continue
        update = {
            name: getattr(citation, name)
            for name in ("venue", "stated_date", "version")
            if getattr(first, name) is None and getattr(citation, name) is not None
        }
        if "stated_date" in update:  # a date comes with its precision
            update["stated_precision"] = citation.stated_precision
        if update:
            merged[citation.key] = replace(first, **update)
