"""Markdown inside a sentence: what a claim's cleaned text leaves out (links, autolinks, emphasis),
and whether a sentence states anything. Each in time linear in the text, however hostile."""

from __future__ import annotations

import re

_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")  # what `strip_links` does
_AUTOLINK = re.compile(r"<((?:https?://|www\.)[^>\s]+)>")  # what `strip_autolinks` does
_AUTOLINK_SCHEME = re.compile(r"https?://|www\.")
_AUTOLINK_STOP = re.compile(r"[>\s]")
_EMPHASIS = re.compile(r"(?<![\w*_])[*_]{1,3}|[*_]{1,3}(?![\w*_])|`+")
_MARKUP_EDGE = "*_` "


def clean_markup(raw: str) -> str:
    """Sentence text without Markdown: links become their text, emphasis marks go, spaces collapse."""
    if "[" in raw:
        raw = strip_links(raw)
    if "<" in raw:
        raw = strip_autolinks(raw)
    if "*" in raw or "_" in raw or "`" in raw:
        raw = _EMPHASIS.sub("", raw)
    return " ".join(raw.split())


def strip_links(raw: str) -> str:
    """`_LINK.sub(r"\\1", raw)`: '[text](url)' and '![alt](url)' become their text, in linear time.

    The regex tries every '[' and scans to the line's next ']' from each: a run of N '[' costs
    N**2/2. Every '[' before one ']' meets that same ']', so one failure rules them all out.
    """
    out: list[str] = []
    kept = 0  # raw[:kept] is in `out`
    position = 0
    while (opening := raw.find("[", position)) >= 0:
        closing = _first_of(raw, "]", opening + 1)
        if closing < 0:
            break  # no ']' left: no later '[' can close either
        if raw[closing] == "\n" or raw[closing + 1 : closing + 2] != "(":
            position = closing + 1  # every '[' before it fails at this ']' (or line end) too
            continue
        end = _first_of(raw, ")", closing + 2)
        if end < 0:
            break  # no ')' left: no later link can end either
        if raw[end] == "\n":
            position = end + 1
            continue
        start = opening - 1 if opening > kept and raw[opening - 1] == "!" else opening
        out += (raw[kept:start], raw[opening + 1 : closing])
        kept = position = end + 1
    return "".join(out) + raw[kept:] if out else raw


def strip_autolinks(raw: str) -> str:
    """`_AUTOLINK.sub(r"\\1", raw)`: '<https://x.org>' becomes 'https://x.org', in linear time.

    The regex scans from every '<http' to the next '>' or space; a failure there rules out every
    '<' before that stop, so the scan resumes after it.
    """
    out: list[str] = []
    kept = 0
    position = 0
    while (opening := raw.find("<", position)) >= 0:
        scheme = _AUTOLINK_SCHEME.match(raw, opening + 1)
        if scheme is None:
            position = opening + 1
            continue
        stop = _AUTOLINK_STOP.search(raw, scheme.end())
        if stop is None:
            break  # the address runs to the end: no later '<' can close either
        if raw[stop.start()] != ">" or stop.start() == scheme.end():
            position = stop.start() + (raw[stop.start()] != ">")
            continue
        out += (raw[kept:opening], raw[opening + 1 : stop.start()])
        kept = position = stop.start() + 1
    return "".join(out) + raw[kept:] if out else raw


def _first_of(raw: str, char: str, start: int) -> int:
    """Position of the first `char` or line break at or after `start`, or -1."""
    found = raw.find(char, start)
    line_end = raw.find("\n", start, found if found >= 0 else len(raw))
    return line_end if line_end >= 0 else found


def trim_markup(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past stray emphasis marks and spaces at either end."""
    if start >= end:
        return start, end
    piece = text[start:end]
    kept = piece.lstrip(_MARKUP_EDGE)  # str methods: a char-by-char loop costs several times more
    start += len(piece) - len(kept)
    return start, start + len(kept.rstrip(_MARKUP_EDGE))


def is_statement(text: str) -> bool:
    """Whether a cleaned sentence states something (not a lead-in like 'Key developments include:')."""
    if not text[:1].isalpha() and not any(char.isalpha() for char in text):  # most start with one
        return False
    return not (text.endswith(":") and len(text.split()) < 5)
