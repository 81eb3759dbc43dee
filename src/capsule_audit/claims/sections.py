"""Markdown structure of a capsule: leaf blocks with character offsets into the text.

pyromark (pulldown-cmark) parses at tens of thousands of documents per second and reports
source ranges, but as UTF-8 *byte* offsets; everything here is converted to character offsets
so that `text[leaf.start:leaf.end]` is the leaf's source.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

import pyromark

from capsule_audit.claims.blocks import Leaf, LeafKind, simple_leaves

__all__ = ["Leaf", "LeafKind", "byte_to_char", "leaf_lines", "parse_leaves", "pyromark_leaves"]

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Inline containers: their Start/End events belong to the enclosing leaf block.
_INLINE_TAGS = frozenset({"Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript"})
_LEAF_CONTAINERS = frozenset({"Paragraph", "Item", "Heading", "TableCell"})
_HEADING_LEVELS = {"H1": 1, "H2": 2, "H3": 3, "H4": 4, "H5": 5, "H6": 6}


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
    simple = simple_leaves(text)  # most capsules: a line walk gives pyromark's leaves, 5x cheaper
    return pyromark_leaves(text) if simple is None else simple


def pyromark_leaves(text: str) -> list[Leaf]:
    """`parse_leaves` by pyromark's events: the general path, and the reference for the fast one."""
    # Lone surrogates cannot cross into Rust; one replacement character keeps offsets aligned.
    safe = text if text.isascii() else _SURROGATE.sub("\ufffd", text)
    try:
        # Typed as Any: the stub's per-event TypedDicts do not narrow on the dynamic tag lookups.
        events: Any = pyromark.events_with_range(safe)
    except Exception:  # the parser is foreign code: bad input must stay data
        return []
    # Leaves as (kind, start, end, level, ordinal) in byte offsets, converted once at the end.
    found: list[tuple[LeafKind, int, int, int, int | None]] = []
    lists: list[int | None] = []  # next ordinal of each open list (None: bullet list)
    kind: LeafKind = "text"
    level = 0
    pending_ordinal: int | None = None
    leaf_start = leaf_end = -1
    ordinal_for_leaf: int | None = None
    for event, span in events:
        # Text events are most of them: test for them first, with plain type and key checks.
        if type(event) is dict and "Text" not in event:
            tag = event.get("Start")
            opening = tag is not None
            if not opening:
                tag = event.get("End")
            if tag is not None:
                # A str ('Item') or a one-key dict ({'Heading': {...}}), read inline; else the helper.
                if type(tag) is str:
                    name = tag
                elif type(tag) is dict and tag:
                    name = next(iter(tag))
                else:
                    name = _tag_name(tag)
                if name not in _INLINE_TAGS:  # inline tags extend the current leaf below
                    if leaf_start >= 0:
                        found.append((kind, leaf_start, leaf_end, level, ordinal_for_leaf))
                        leaf_start = -1
                    if not opening:
                        if name == "List" and lists:
                            lists.pop()
                        kind, level = "text", 0
                    elif name == "List":
                        lists.append(tag["List"] if type(tag) is dict else None)
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
                    continue
        elif event == "Rule":
            if leaf_start >= 0:
                found.append((kind, leaf_start, leaf_end, level, ordinal_for_leaf))
                leaf_start = -1
            continue
        if leaf_start < 0:
            leaf_start, leaf_end = span["start"], span["end"]
            ordinal_for_leaf, pending_ordinal = pending_ordinal, None
        elif span["end"] > leaf_end:
            leaf_end = span["end"]
    if leaf_start >= 0:
        found.append((kind, leaf_start, leaf_end, level, ordinal_for_leaf))
    if safe.isascii():  # byte and character offsets agree
        return [Leaf._make(leaf) for leaf in found]
    to_char = byte_to_char(safe)
    return [
        Leaf(kind, to_char(start), to_char(end), level, ordinal) for kind, start, end, level, ordinal in found
    ]


def leaf_lines(text: str, leaf: Leaf) -> list[tuple[int, int]]:
    """Character ranges of the non-blank lines of a leaf, trimmed of surrounding whitespace."""
    source = text[leaf.start : leaf.end]
    if "\n" not in source:  # most leaves are one line: no split, no list of pieces
        stripped = source.lstrip()  # the same whitespace as str.isspace
        if not stripped:
            return []
        start = leaf.start + len(source) - len(stripped)
        return [(start, start + len(stripped.rstrip()))]
    lines: list[tuple[int, int]] = []
    position = leaf.start
    for line in source.split("\n"):
        stripped = line.lstrip()
        if stripped:
            start = position + len(line) - len(stripped)
            lines.append((start, start + len(stripped.rstrip())))
        position += len(line) + 1
    return lines
