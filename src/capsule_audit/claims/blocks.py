"""A line-based fast path for the simple block structure capsules use, exact or declined.

Capsules are written as ATX headings, '-' items (often '- 1. Name'), '1.' items and plain
paragraphs. For such text the leaves pyromark reports are fully determined line by line, and
walking the lines costs a fifth of walking pyromark's events. `simple_leaves` returns those
leaves, or None the moment a line could mean anything else (indentation, fences, block quotes,
HTML, thematic breaks, setext underlines, escapes, entities, odd whitespace...): the caller then
asks pyromark, which stays the reference parser. Differential tests hold the two equal.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

# Anything anywhere that this path does not model: code spans, escapes, HTML and autolinks,
# entities and link reference definitions. Plain substring tests: a regex scan of the whole text
# would cost as much as the walk itself.
_UNSAFE_MARKS = ("`", "\\", "<", "]:")
_ENTITY = re.compile(r"&[#A-Za-z0-9]")
# Content (of a line, or of an item after its marker) that opens a block this path declines:
# another marker, a heading, a quote, a fence, a thematic break or setext line, an ordered item.
_BLOCKISH = re.compile(r"[ #>=~|+-]|[*_][ *_-]*$|\* |\d+[.)](?: |$)")
_ORDERED = re.compile(r"([0-9]{1,9})\. (?! )")  # ASCII digits: '٣.' opens no list
_HEADING = re.compile(r"(#{1,6}) +(?=[^ ])")

LeafKind = Literal["heading", "text", "code"]


class Leaf(NamedTuple):
    """One run of inline content: a heading, a paragraph, or a list item's own text.

    A named tuple: a capsule has dozens of leaves, and tuples are the cheapest values to build.
    """

    kind: LeafKind
    start: int
    end: int
    level: int = 0
    ordinal: int | None = None
    """Number of the ordered-list item this leaf opens ('1.' in '- 1. **Name**')."""


def _content_ok(line: str, start: int) -> bool:
    """Whether `line[start:]` is plain paragraph content (not empty, opens no block)."""
    if start >= len(line):
        return False
    # Content nearly always opens with a letter, which no _BLOCKISH branch accepts.
    return line[start].isalpha() or _BLOCKISH.match(line, start) is None


def simple_leaves(text: str) -> list[Leaf] | None:
    """The leaves of `text`, as pyromark would give them; None: ask pyromark."""
    if any(mark in text for mark in _UNSAFE_MARKS) or ("&" in text and _ENTITY.search(text)):
        return None
    leaves: list[Leaf] = []
    ordered_next = 0  # next ordinal of the open ordered list, 0 when no ordered list is open
    paragraph_open = False  # a non-blank content line just before: lazy continuation applies
    position = 0
    for line in text.split("\n"):
        line_start = position
        position += len(line) + 1
        if not line:
            paragraph_open = False
            continue
        # Control characters, non-ASCII whitespace and lone surrogates are all unprintable:
        # pyromark trims and indents by ASCII rules, and surrogates need its own path.
        if not line.isprintable():
            return None
        first = line[0]
        if first == "#":
            heading = _HEADING.match(line)
            if heading is None or line.rstrip(" ").endswith("#"):
                return None  # '#tag' is a paragraph, 'Title ##' has a closing sequence
            level = len(heading.group(1))
            leaves.append(
                Leaf("heading", line_start + heading.end(), line_start + len(line.rstrip(" ")), level)
            )
            ordered_next, paragraph_open = 0, False
            continue
        end = line_start + len(line.rstrip(" "))
        if first == "-" and line.startswith("- "):
            # '- 1. Name': an ordered list inside the item
            nested = _ORDERED.match(line, 2) if line[2:3].isdigit() else None
            content = nested.end() if nested else 2
            if not _content_ok(line, content):
                return None
            leaves.append(
                Leaf("text", line_start + content, end, 0, int(nested.group(1)) if nested else None)
            )
            ordered_next, paragraph_open = 0, True
            continue
        ordered = _ORDERED.match(line) if first.isdigit() else None
        if ordered is not None:
            if not _content_ok(line, ordered.end()):
                return None
            if ordered_next:  # the next item of the open list: numbered by count, not as written
                ordinal, ordered_next = ordered_next, ordered_next + 1
            elif paragraph_open:
                return None  # may or may not interrupt the paragraph ('1.' does, '2.' does not)
            else:
                ordinal = int(ordered.group(1))
                ordered_next = ordinal + 1
            leaves.append(Leaf("text", line_start + ordered.end(), end, 0, ordinal))
            paragraph_open = True
            continue
        if not _content_ok(line, 0):
            return None
        if paragraph_open:  # continuation, lazy or not: the open leaf grows
            kind, start, _, level, number = leaves[-1]
            leaves[-1] = Leaf(kind, start, end, level, number)
        else:  # a paragraph at column 0 closes any open list
            leaves.append(Leaf("text", line_start, end))
            ordered_next, paragraph_open = 0, True
    return leaves
