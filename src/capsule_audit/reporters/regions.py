r"""SARIF regions: where a finding's text span stands in the characters of its input file.

A finding's span counts code points of a record field (the capsule's `text`, or its `name`).
The file holds that field as a JSON string whose escapes (`\n`, `\"`, `\uXXXX`, surrogate
pairs) shift every offset after them, inside an NDJSON line, an array element or an `@graph`
node. `RegionFinder` reads the input file again, finds the document (the location's line, and
its JSON pointer from the document or, for a top-level array, from the file), the node's field
string (`text`, a prefixed name such as `schema:text`, its IRI; a string, an `@value` object or
the first of a list), checks that it still holds the quoted text, and maps the span through the
escapes.

Units (SARIF 2.1.0 §3.30, `run.columnKind` = "utf16CodeUnits", what viewers built on JavaScript
count): lines end at CR, LF or CRLF; columns are 1-based UTF-16 code units; `charOffset` and
`charLength` count UTF-16 code units of the file's text after a UTF-8 byte order mark (which
editors do not show); `byteOffset` and `byteLength` count the file's bytes as stored, BOM
included. The region covers the field as written: where the span holds an escape the region
reads `\n` (two characters) for one newline, and JSON-decoding the region gives the span's text.

Gzip inputs: SARIF cannot point inside a compressed artifact, so lines, columns and character
offsets refer to the decompressed text (what `zcat` prints), there is no byte offset, and the
result says `"regionOf": "decompressed"` in its properties. Digests (plain-text pages): the
record's text is the page, so a span maps straight onto it.

No region beyond the start line: stdin and URL inputs, files that cannot be read again, and
files whose field no longer holds the quoted text at the span (changed since the audit).
"""

from __future__ import annotations

import gzip
import os
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from capsule_audit.models.claims import Span
from capsule_audit.models.findings import Finding
from capsule_audit.reporters.jsonpos import (
    FIELD_KEYS,
    Unlocatable,
    field_key,
    follow,
    members,
    scanstring,
    skip,
    string_at,
    through_escapes,
)

_NEWLINE = re.compile(r"\r\n|\r|\n")
_NEWLINE_BYTES = re.compile(rb"\r\n|\r|\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_NDJSON_SUFFIXES = (".jsonl", ".ndjson")
_TEXT_SUFFIXES = (".md",)
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass
class _FileText:
    """One input file, decoded, with what positions convert through."""

    path: str
    raw: bytes  # the decompressed bytes, BOM included
    text: str  # decoded, BOM removed
    bom: int  # bytes of BOM skipped
    gzipped: bool
    line_starts: list[int]
    astral: list[int]
    _byte_starts: list[int] | None = None

    @classmethod
    def read(cls, path: str) -> _FileText | None:
        if path == "-" or path.startswith(("http://", "https://")) or not os.path.isfile(path):
            return None
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
            gzipped = raw[:2] == b"\x1f\x8b"
            if gzipped:
                raw = gzip.decompress(raw)
            bom = len(_UTF8_BOM) if raw.startswith(_UTF8_BOM) else 0
            text = raw[bom:].decode("utf-8")
        except (OSError, EOFError, ValueError):
            return None
        starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]
        astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        return cls(path, raw, text, bom, gzipped, starts, astral)

    def utf16(self, pos: int) -> int:
        """UTF-16 code units before code point `pos`."""
        return pos + bisect_left(self.astral, pos) if self.astral else pos

    def line_of(self, pos: int) -> int:
        """1-based line holding `pos`."""
        return bisect_right(self.line_starts, pos)

    def byte_offset(self, pos: int) -> int:
        if len(self.raw) == len(self.text) + self.bom:  # ASCII: bytes are characters
            return pos + self.bom
        if self._byte_starts is None:  # lines end at the same (ASCII) bytes in the raw file
            self._byte_starts = [self.bom, *(m.end() for m in _NEWLINE_BYTES.finditer(self.raw, self.bom))]
        line = self.line_of(pos) - 1
        start = self.line_starts[line]
        return self._byte_starts[line] + len(self.text[start:pos].encode("utf-8"))

    def region(self, start: int, end: int) -> dict[str, Any]:
        """A SARIF region for text[start:end] (code points of the decoded file)."""
        first, last = self.line_of(start), self.line_of(end)
        region: dict[str, Any] = {
            "startLine": first,
            "startColumn": self.utf16(start) - self.utf16(self.line_starts[first - 1]) + 1,
            "endLine": last,
            "endColumn": self.utf16(end) - self.utf16(self.line_starts[last - 1]) + 1,
            "charOffset": self.utf16(start),
            "charLength": self.utf16(end) - self.utf16(start),
        }
        if not self.gzipped:
            region["byteOffset"] = self.byte_offset(start)
            region["byteLength"] = self.byte_offset(end) - region["byteOffset"]
        return region


def _expected(finding: Finding, span: Span) -> str | None:
    """The span's text, when the finding quotes it (the check against a changed file)."""
    if finding.location.text is not None:
        return finding.location.text
    for item in finding.evidence:
        if item.capsule != finding.location.capsule or item.span is None:
            continue
        if item.span.start <= span.start and span.end <= item.span.end:
            offset = item.span.start
            return item.text[span.start - offset : span.end - offset]
    return None


class RegionFinder:
    """Regions for findings, one input file held at a time (call in file order to read each once)."""

    def __init__(self) -> None:
        self._file: _FileText | None = None
        self._path: str | None = None

    def _read(self, path: str) -> _FileText | None:
        if path != self._path:
            self._path, self._file = path, _FileText.read(path)
        return self._file

    def region(self, finding: Finding, path: str) -> tuple[dict[str, Any], bool] | None:
        """(region, decompressed) for the finding's span in `path`, or None when not located."""
        where = finding.location
        if where.span is None or where.field not in FIELD_KEYS:
            return None
        found = self._read(path)
        if found is None:
            return None
        try:
            start, end = self._locate(found, finding, where.span, where.field)
        except (Unlocatable, KeyError, IndexError, ValueError):
            return None
        return found.region(start, end), found.gzipped

    def _locate(self, found: _FileText, finding: Finding, span: Span, field: str) -> tuple[int, int]:
        text, where = found.text, finding.location
        base = found.path.removesuffix(".gz").lower()
        first = skip(text, 0)
        expected = _expected(finding, span)
        if base.endswith(_TEXT_SUFFIXES) or text[first : first + 1] not in ("{", "["):
            if field != "text" or span.end > len(text):  # a digest: the page is the text
                raise Unlocatable
            if expected is not None and text[span.start : span.end] != expected:
                raise Unlocatable
            return span.start, span.end
        pointer = where.pointer or ""
        if text[first] == "[" and not base.endswith(_NDJSON_SUFFIXES):
            node = follow(text, first, pointer)  # array elements are pointed at from the file
        else:
            line = where.line or found.line_of(first)
            node = follow(text, skip(text, found.line_starts[line - 1]), pointer)
        fields = members(text, node)
        key = field_key(fields, field)
        quote = string_at(text, fields[key])
        value, _ = scanstring(text, quote + 1)
        if span.end > len(value) or (expected is not None and value[span.start : span.end] != expected):
            raise Unlocatable
        return through_escapes(text, quote, span)
