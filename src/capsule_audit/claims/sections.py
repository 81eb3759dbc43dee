"""Markdown structure of a capsule: leaf blocks with character offsets into the text.

pyromark (pulldown-cmark) parses at tens of thousands of documents per second and reports
source ranges, but as UTF-8 *byte* offsets; everything here is converted to character offsets
so that `text[leaf.start:leaf.end]` is the leaf's source.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import pyromark

LeafKind = Literal["heading", "text", "code"]

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Inline containers: their Start/End events belong to the enclosing leaf block.
_INLINE_TAGS = frozenset({"Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript"})
_LEAF_CONTAINERS = frozenset({"Paragraph", "Item", "Heading", "TableCell"})
_HEADING_LEVELS = {"H1": 1, "H2": 2, "H3": 3, "H4": 4, "H5": 5, "H6": 6}


@dataclass(frozen=True, slots=True)
class Leaf:
    """One run of inline content: a heading, a paragraph, or a list item's own text."""

    kind: LeafKind
    start: int
    end: int
    level: int = 0
    ordinal: int | None = None
    """Number of the ordered-list item this leaf opens ('1.' in '- 1. **Name**')."""


def byte_to_char(text: str) -> Callable[[int], int]:
    """A converter from UTF-8 byte offsets of `text` to character offsets."""
    if text.isascii():
        return lambda offset: offset
    starts: list[int] = []  # byte offset where each non-ASCII character starts
    extra: list[int] = []  # extra bytes (beyond one per character) up to and including it
    total = 0
    for match in _NON_ASCII.finditer(text):
        starts.append(match.start() + total)
        total += len(match.group().encode("utf-8")) - 1
        extra.append(total)

    def convert(offset: int) -> int:
        k = bisect_right(starts, offset - 1)
        return offset if k == 0 else offset - extra[k - 1]

    return convert


def _tag_name(tag: Any) -> str:
    if isinstance(tag, str):
        return tag
    if isinstance(tag, dict) and tag:
        return str(next(iter(tag)))
    return ""


def parse_leaves(text: str) -> list[Leaf]:
    """The leaf blocks of `text` in document order. Never raises: unparseable text gives []."""
    # Lone surrogates cannot cross into Rust; one replacement character keeps offsets aligned.
    safe = _SURROGATE.sub("\ufffd", text) if not text.isascii() else text
    try:
        # Typed as Any: the stub's per-event TypedDicts do not narrow on the dynamic tag lookups.
        events: Any = pyromark.events_with_range(safe)
    except Exception:  # the parser is foreign code: bad input must stay data
        return []
    to_char = byte_to_char(safe)
    leaves: list[Leaf] = []
    lists: list[int | None] = []  # next ordinal of each open list (None: bullet list)
    kind: LeafKind = "text"
    level = 0
    pending_ordinal: int | None = None
    leaf_start = -1
    leaf_end = -1
    ordinal_for_leaf: int | None = None

    def close() -> None:
        nonlocal leaf_start
        if leaf_start >= 0:
            leaves.append(Leaf(kind, to_char(leaf_start), to_char(leaf_end), level, ordinal_for_leaf))
        leaf_start = -1

    for event, span in events:
        start, end = span["start"], span["end"]
        if isinstance(event, dict) and ("Start" in event or "End" in event):
            opening = "Start" in event
            tag = event["Start"] if opening else event["End"]
            name = _tag_name(tag)
            if name in _INLINE_TAGS:
                pass  # inline: extends the current leaf below
            else:
                close()
                if opening:
                    if name == "List":
                        lists.append(tag["List"] if isinstance(tag, dict) else None)
                    elif name == "Item":
                        number = lists[-1] if lists else None
                        pending_ordinal = number
                        if number is not None:
                            lists[-1] = number + 1
                    elif name == "Heading":
                        kind, level = "heading", _HEADING_LEVELS.get(str(tag["Heading"].get("level")), 1)
                    elif name == "CodeBlock" or name == "HtmlBlock":
                        kind, level = "code", 0
                    elif name in _LEAF_CONTAINERS:
                        kind, level = "text", 0
                else:
                    if name == "List" and lists:
                        lists.pop()
                    kind, level = "text", 0
                continue
        elif event == "Rule":
            close()
            continue
        if leaf_start < 0:
            leaf_start, leaf_end = start, end
            ordinal_for_leaf, pending_ordinal = pending_ordinal, None
        else:
            leaf_end = max(leaf_end, end)
    close()
    return leaves


def leaf_lines(text: str, leaf: Leaf) -> list[tuple[int, int]]:
    """Character ranges of the non-blank lines of a leaf, trimmed of surrounding whitespace."""
    lines: list[tuple[int, int]] = []
    position = leaf.start
    while position < leaf.end:
        newline = text.find("\n", position, leaf.end)
        stop = leaf.end if newline < 0 else newline
        start, end = position, stop
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            lines.append((start, end))
        position = stop + 1
    return lines
