"""Positions inside JSON text: an object's members, an array's elements, a JSON pointer, a field's
string, and where a decoded string's characters stand among its escapes.

Values are skipped with the json module's C decoder (`raw_decode`), strings decoded with its C
scanner: only the path to the wanted value is walked in Python.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from capsule_audit.models.claims import Span

__all__ = [
    "FIELD_KEYS",
    "Unlocatable",
    "field_key",
    "follow",
    "members",
    "scanstring",
    "skip",
    "string_at",
    "through_escapes",
]

_WS = re.compile(r"[ \t\r\n]*")
# A JSON string's body, piece by piece: a run of plain characters, or one escape (a surrogate
# pair written as two \u escapes is one character).
_PIECE = re.compile(
    r'[^"\\]+|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\.'
)
_DECODER = json.JSONDecoder()
# The C string scanner the json module parses with: (decoded, end) of the string after a quote.
scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
FIELD_KEYS = {
    "text": ("text", "schema:text", "http://schema.org/text", "https://schema.org/text"),
    "name": ("name", "schema:name", "http://schema.org/name", "https://schema.org/name"),
}


class Unlocatable(Exception):
    """The document, node or field is not where the location says (or not JSON there)."""


def skip(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()  # type: ignore[union-attr]


def members(text: str, pos: int) -> dict[str, int]:
    """Key to value position of the object at `pos` (a repeated key: the last, as parsed)."""
    if text[pos] != "{":
        raise Unlocatable
    found: dict[str, int] = {}
    pos = skip(text, pos + 1)
    if text[pos] == "}":
        return found
    while True:
        if text[pos] != '"':
            raise Unlocatable
        name, pos = scanstring(text, pos + 1)
        pos = skip(text, pos)
        if text[pos] != ":":
            raise Unlocatable
        pos = skip(text, pos + 1)
        found[name] = pos
        pos = skip(text, _DECODER.raw_decode(text, pos)[1])
        if text[pos] != ",":
            return found
        pos = skip(text, pos + 1)


def element(text: str, pos: int, index: int) -> int:
    """Position of element `index` of the array at `pos`."""
    if text[pos] != "[":
        raise Unlocatable
    pos = skip(text, pos + 1)
    for _ in range(index):
        pos = skip(text, _DECODER.raw_decode(text, pos)[1])
        if text[pos] != ",":
            raise Unlocatable
        pos = skip(text, pos + 1)
    return pos


def follow(text: str, pos: int, pointer: str) -> int:
    """The position of the value at RFC 6901 `pointer` from the value at `pos`."""
    for part in pointer.split("/")[1:] if pointer else ():
        key = part.replace("~1", "/").replace("~0", "~")
        pos = element(text, pos, int(key)) if text[pos] == "[" and key.isdigit() else members(text, pos)[key]
    return pos


def string_at(text: str, pos: int) -> int:
    """The opening quote of the string a field value holds: itself, its `@value`, its first item."""
    if text[pos] == '"':
        return pos
    if text[pos] == "{":
        return string_at(text, members(text, pos)["@value"])
    if text[pos] == "[":
        return string_at(text, skip(text, pos + 1))
    raise Unlocatable


def through_escapes(text: str, quote: int, span: Span) -> tuple[int, int]:
    """File positions of the decoded string's characters `span.start` and `span.end`."""
    decoded, at = 0, quote + 1
    start: int | None = None
    end: int | None = None
    for piece in _PIECE.finditer(text, at):
        if piece.start() != at:  # the closing quote
            break
        escape = text[at] == "\\"
        size = 1 if escape else piece.end() - at
        if start is None and span.start < decoded + size:
            start = at if escape else at + span.start - decoded
        if span.end < decoded + size:
            end = at if escape else at + span.end - decoded
            break
        decoded, at = decoded + size, piece.end()
    if end is None:  # the span ends with the string
        end = at
    return (end if start is None else start), end


def field_key(found: dict[str, int], field: str) -> str:
    """The member holding `field`: 'text', a compact IRI ('schema:text', 'sdo:text') or a full IRI.

    A term a context renames is not found (the region is then left out, never guessed).
    """
    for key in FIELD_KEYS[field]:
        if key in found:
            return key
    for key in found:
        if re.split(r"[:/#]", key)[-1] == field and key != field:
            return key
    raise Unlocatable
