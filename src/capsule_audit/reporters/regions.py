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

Memory: a file up to `WHOLE_FILE_MAX` bytes (decompressed) is held whole; a larger one is read
line by line, holding one document at a time: an NDJSON line, or an array element that starts
its own line (pretty-printed arrays; a compact array's elements get no region then).

No region beyond the start line: stdin and URL inputs, files that cannot be read again, and
files whose field no longer holds the quoted text at the span (changed since the audit).
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
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
from capsule_audit.reporters.region_documents import UTF8_BOM, documents, open_input

_NEWLINE = re.compile(r"\r\n|\r|\n")
_NEWLINE_BYTES = re.compile(rb"\r\n|\r|\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_NDJSON_SUFFIXES = (".jsonl", ".ndjson")
_TEXT_SUFFIXES = (".md",)
WHOLE_FILE_MAX = 64 << 20
"""Decompressed size up to which a file is read whole; a larger one is read line by line, holding
only the documents findings point into (an NDJSON line, an array element starting a line)."""

Located = tuple[dict[str, Any], bool]
"""A SARIF region, and whether it is on the decompressed text of a gzip file."""


@dataclass
class _FileText:
    """A file's text (or one document of it, from line `base_line`), with what positions convert through."""

    raw: bytes  # the (decompressed) bytes, BOM included
    text: str  # decoded, BOM removed
    gzipped: bool
    bom: int = 0  # bytes of BOM skipped
    base_line: int = 1  # SARIF line, byte offset and UTF-16 offset of text[0] in the file
    base_byte: int = 0
    base_unit: int = 0
    line_starts: list[int] = field(default_factory=list)
    astral: list[int] = field(default_factory=list)
    _byte_starts: list[int] | None = None
    _lf_starts: list[int] | None = None

    def __post_init__(self) -> None:
        self.line_starts = [0, *(m.end() for m in _NEWLINE.finditer(self.text))]
        self.astral = [] if self.text.isascii() else [m.start() for m in _ASTRAL.finditer(self.text)]

    @classmethod
    def of(cls, raw: bytes, gzipped: bool) -> _FileText:
        """A whole file's bytes; raises ValueError when they are not UTF-8."""
        bom = len(UTF8_BOM) if raw.startswith(UTF8_BOM) else 0
        return cls(raw, raw[bom:].decode("utf-8"), gzipped, bom)

    def utf16(self, pos: int) -> int:
        """UTF-16 code units before code point `pos`."""
        return pos + bisect_left(self.astral, pos) if self.astral else pos

    def line_of(self, pos: int) -> int:
        """1-based line (CR, LF or CRLF ends one) of `pos` in `text`."""
        return bisect_right(self.line_starts, pos)

    def lf_line_start(self, line: int) -> int:
        """Where line `line` starts counting LF only, as the loader numbers documents."""
        if self._lf_starts is None:
            self._lf_starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        return self._lf_starts[line - 1]

    def byte_offset(self, pos: int) -> int:
        if len(self.raw) == len(self.text) + self.bom:  # ASCII: bytes are characters
            return pos + self.bom
        if self._byte_starts is None:  # lines end at the same (ASCII) bytes in the raw file
            self._byte_starts = [self.bom, *(m.end() for m in _NEWLINE_BYTES.finditer(self.raw, self.bom))]
        line = self.line_of(pos) - 1
        start = self.line_starts[line]
        return self._byte_starts[line] + len(self.text[start:pos].encode("utf-8"))

    def region(self, start: int, end: int) -> dict[str, Any]:
        """A SARIF region for text[start:end] (code points of the decoded text)."""
        first, last = self.line_of(start), self.line_of(end)
        region: dict[str, Any] = {
            "startLine": self.base_line + first - 1,
            "startColumn": self.utf16(start) - self.utf16(self.line_starts[first - 1]) + 1,
            "endLine": self.base_line + last - 1,
            "endColumn": self.utf16(end) - self.utf16(self.line_starts[last - 1]) + 1,
            "charOffset": self.base_unit + self.utf16(start),
            "charLength": self.utf16(end) - self.utf16(start),
        }
        if not self.gzipped:
            region["byteOffset"] = self.base_byte + self.byte_offset(start)
            region["byteLength"] = self.byte_offset(end) - self.byte_offset(start)
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


def _in_string(found: _FileText, finding: Finding, node: int) -> tuple[int, int]:
    """File positions of the finding's span inside the field string of the node at `node`."""
    where = finding.location
    assert where.span is not None and where.field is not None
    text, span = found.text, where.span
    fields = members(text, node)
    quote = string_at(text, fields[field_key(fields, where.field)])
    value, _ = scanstring(text, quote + 1)
    expected = _expected(finding, span)
    if span.end > len(value) or (expected is not None and value[span.start : span.end] != expected):
        raise Unlocatable
    return through_escapes(text, quote, span)


def _located(found: _FileText, finding: Finding, *, array: bool) -> Located | None:
    """The region of a finding in a whole file (`array`: its top level is a JSON array)."""
    where = finding.location
    assert where.span is not None
    text = found.text
    first = skip(text, 0)
    try:
        if text[first : first + 1] not in ("{", "["):  # a digest: the page is the record's text
            expected = _expected(finding, where.span)
            if where.field != "text" or where.span.end > len(text):
                return None
            if expected is not None and text[where.span.start : where.span.end] != expected:
                return None
            start, end = where.span.start, where.span.end
        elif array:  # array elements are pointed at from the file
            start, end = _in_string(found, finding, follow(text, first, where.pointer or ""))
        else:
            line_start = found.lf_line_start(where.line) if where.line else first
            start, end = _in_string(found, finding, follow(text, skip(text, line_start), where.pointer or ""))
    except (Unlocatable, KeyError, IndexError, ValueError):
        return None
    return found.region(start, end), found.gzipped


def _streamed(
    path: str, gzipped: bool, array: bool, wanted: list[tuple[int, Finding]], out: list[Located | None]
) -> None:
    """Regions in a file too large to hold: each document read alone, from the line it starts."""
    by_line: dict[int, list[tuple[int, Finding]]] = {}
    for n, finding in wanted:
        if finding.location.line is not None:
            by_line.setdefault(finding.location.line, []).append((n, finding))
    opened = open_input(path)
    if opened is None:
        return
    stream, _ = opened
    with stream:
        opening = (b"{",) if array else (b"{", b"[")
        for line, raw, sarif_line, byte, unit in documents(stream, set(by_line), opening):
            found = _FileText(raw, raw.decode("utf-8"), gzipped, 0, sarif_line, byte, unit)
            for n, finding in by_line[line]:
                pointer = finding.location.pointer or ""
                if array:  # the document is the element: its pointer starts at the element
                    pointer = "/" + "/".join(pointer.split("/")[2:]) if pointer.count("/") > 1 else ""
                try:
                    start, end = _in_string(found, finding, follow(found.text, skip(found.text, 0), pointer))
                except (Unlocatable, KeyError, IndexError, ValueError):
                    continue
                out[n] = (found.region(start, end), gzipped)


def regions_in(path: str, findings: list[Finding]) -> list[Located | None]:
    """The region of each finding's span in `path` (None where there is none), the file read once.

    Files up to `WHOLE_FILE_MAX` bytes (decompressed) are held whole; larger ones are read line
    by line (memory: one document), where a finding is located when its document starts a line.
    """
    out: list[Located | None] = [None] * len(findings)
    wanted = [
        (n, f)
        for n, f in enumerate(findings)
        if f.location.span is not None and f.location.field in FIELD_KEYS
    ]
    if not wanted:
        return out
    base = path.removesuffix(".gz").lower()
    try:
        opened = open_input(path)
        if opened is None:
            return out
        stream, gzipped = opened
        with stream:
            head = stream.read(WHOLE_FILE_MAX + 1)
        start = head.lstrip(UTF8_BOM + b" \t\r\n")[:1]
        array = start == b"[" and not base.endswith(_NDJSON_SUFFIXES)
        if base.endswith(_TEXT_SUFFIXES) and start in (b"{", b"["):
            return out  # a Markdown page that starts like JSON: not worth guessing
        if len(head) <= WHOLE_FILE_MAX:
            found = _FileText.of(head, gzipped)
            for n, finding in wanted:
                out[n] = _located(found, finding, array=array)
        else:
            del head
            _streamed(path, gzipped, array, wanted, out)
    except (OSError, EOFError, zlib.error, ValueError):
        pass  # unreadable now, or not UTF-8: the results keep their start line only
    return out
