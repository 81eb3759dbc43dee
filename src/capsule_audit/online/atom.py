"""Parse arXiv API Atom feeds with xml.etree (namespaces Atom, arxiv, OpenSearch).

A feed that does not parse raises `MalformedFeed`; the caller treats it as a failed attempt. So
does a feed with entries outside the Atom namespace or a `totalResults` that is not a count: a
feed that may hide papers must never pass for one that lacks them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"

_ABS = re.compile(r"arxiv\.org/abs/(?P<id>.+?)(?:v(?P<version>\d+))?$", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


class MalformedFeed(ValueError):
    """The body is not an Atom feed we can read."""


@dataclass(frozen=True)
class Entry:
    """One paper of a feed."""

    arxiv_id: str
    version: str | None
    title: str
    summary: str
    authors: tuple[str, ...]
    affiliations: tuple[str, ...]
    published: date | None
    updated: date | None


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its papers, and the error messages of any `Error` entries."""

    total_results: int | None
    entries: tuple[Entry, ...]
    errors: tuple[str, ...]


def _text(node: ET.Element | None) -> str:
    return _SPACE.sub(" ", node.text or "").strip() if node is not None else ""


def _local(tag: object) -> str:
    """An element's name without its namespace ('' for comments and processing instructions)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _entry(node: ET.Element) -> Entry | str:
    """An Entry, or the error message of an `api/errors` entry."""
    raw_id = _text(node.find(f"{ATOM}id"))
    if "/api/errors" in raw_id:
        return _text(node.find(f"{ATOM}summary")) or raw_id
    match = _ABS.search(raw_id)
    if match is None:
        raise MalformedFeed(f"entry id is not an arXiv abstract URL: {raw_id!r}")
    authors = tuple(_text(a.find(f"{ATOM}name")) for a in node.findall(f"{ATOM}author"))
    affiliations = tuple(
        _text(aff) for a in node.findall(f"{ATOM}author") for aff in a.findall(f"{ARXIV}affiliation")
    )
    return Entry(
        arxiv_id=match.group("id"),
        version=f"v{match.group('version')}" if match.group("version") else None,
        title=_text(node.find(f"{ATOM}title")),
        summary=_text(node.find(f"{ATOM}summary")),
        authors=tuple(a for a in authors if a),
        affiliations=tuple(dict.fromkeys(a for a in affiliations if a)),
        published=_date(_text(node.find(f"{ATOM}published"))),
        updated=_date(_text(node.find(f"{ATOM}updated"))),
    )


def parse_feed(body: bytes | str) -> Feed:
    """Parse an API response body; raises MalformedFeed on anything that is not an Atom feed."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if b"<!DOCTYPE" in raw[:2048].upper():
        raise MalformedFeed("feeds never declare a DOCTYPE (entity expansion refused)")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise MalformedFeed(f"not XML: {exc}") from exc
    if root.tag != f"{ATOM}feed":
        raise MalformedFeed(f"root element is {root.tag!r}, not an Atom feed")
    total_text = _text(root.find(f"{OPENSEARCH}totalResults"))
    if total_text and not (total_text.isascii() and total_text.isdecimal()):
        raise MalformedFeed(f"totalResults is not a count: {total_text[:40]!r}")
    total = int(total_text) if total_text else None
    stray = [node.tag for node in root if node.tag != f"{ATOM}entry" and _local(node.tag) == "entry"]
    if stray:  # papers we cannot read must not pass for papers the feed lacks
        raise MalformedFeed(f"{len(stray)} entries outside the Atom namespace ({stray[0]!r})")
    entries: list[Entry] = []
    errors: list[str] = []
    for node in root.findall(f"{ATOM}entry"):
        parsed = _entry(node)
        if isinstance(parsed, str):
            errors.append(parsed)
        else:
            entries.append(parsed)
    return Feed(total_results=total, entries=tuple(entries), errors=tuple(errors))
