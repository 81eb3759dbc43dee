"""Streaming the elements of a top-level JSON array, one document unit each.

Hand-written because orjson has no incremental API and ijson-style event parsers would build
each element through Python callbacks (far slower than orjson on the element's bytes). This
scanner only finds top-level element boundaries: regexes skip whole strings and everything but
brackets at C speed, so the Python loop runs once per bracket, not per byte. Knowing the
boundaries gives each element its own bytes, start line and size check, memory bounded by one
element, and lets a broken element become one CA001 while the others are still audited.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator

from capsule_audit.config import Limits
from capsule_audit.loading.documents import Document, RejectedDocument
from capsule_audit.loading.rejects import unreadable_doc
from capsule_audit.loading.streams import CHUNK
from capsule_audit.loading.units import parse_unit, unit_too_large
from capsule_audit.models.records import SourceRef

__all__ = ["iter_array"]

_STRING = rb'"(?:[^"\\]++|\\.)*+"'
# Possessive quantifiers: never backtrack into a string that has no closing quote in the buffer.
_SKIP_TOP = re.compile(rb"(?:[^\"\[\]{},]++|" + _STRING + rb")*+", re.S)
_SKIP_DEEP = re.compile(rb"(?:[^\"\[\]{}]++|" + _STRING + rb")*+", re.S)
_STRING_REST = re.compile(rb"(?:[^\"\\]++|\\.)*+", re.S)
_SPACE = re.compile(rb"[ \t\r\n]*+")
_OPEN = frozenset(b"[{")
_CLOSE = frozenset(b"]}")


class _Buffer:
    """A sliding window over the stream that keeps line numbers of discarded bytes."""

    def __init__(self, reader: io.BufferedReader, head: bytes, line: int) -> None:
        self.reader = reader
        self.data = head  # `head` starts at the beginning of line `line`
        self.eof = False
        self._line_pos = 0
        self._line = line  # line number at data[_line_pos]
        self._last_newline = -1  # position of the last newline before _line_pos (may be < 0)

    def fill(self, keep: int) -> int:
        """Drop bytes before `keep`, read more; return how far positions shifted (0 at EOF)."""
        chunk = self.reader.read(CHUNK)
        if not chunk:
            self.eof = True
            return 0
        self.line_at(keep)
        self.data = self.data[keep:] + chunk
        self._line_pos -= keep
        self._last_newline -= keep
        return keep

    def line_at(self, pos: int) -> int:
        """1-based line of `data[pos]`; `pos` never moves backwards (so the count stays linear)."""
        newlines = self.data.count(b"\n", self._line_pos, pos)
        if newlines:
            self._line += newlines
            self._last_newline = self.data.rfind(b"\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def column_at(self, pos: int) -> int:
        """1-based byte column of `data[pos]`, after `line_at(pos)`."""
        return pos - self._last_newline


def iter_array(
    reader: io.BufferedReader, head: bytes, line: int, path: str, limits: Limits
) -> Iterator[Document]:
    """Documents for each element of the array that `head` opens.

    `head` is the whole first line (from its first byte) holding the opening '[', at line `line`.
    """
    buf = _Buffer(reader, head, line)
    pos = head.index(b"[") + 1
    index = 0
    while True:
        pos = _skip_space(buf, pos)
        if pos >= len(buf.data):
            source = SourceRef(path=path, line=buf.line_at(pos), index=index, pointer=f"/{index}")
            yield unreadable_doc(source, "invalid JSON: array not closed", identity=f"{path}#eof")
            return
        char = buf.data[pos]
        if char == ord("]"):
            if index:  # after a comma: `[1,]`
                source = SourceRef(path=path, line=buf.line_at(pos), index=index, pointer=f"/{index}")
                yield unreadable_doc(source, "invalid JSON: trailing comma", identity=f"{path}#/{index}")
            yield from _after_array(buf, pos + 1, path)
            return
        start = pos
        source = SourceRef(path=path, line=buf.line_at(start), index=index, pointer=f"/{index}")
        column = buf.column_at(start)
        if char == ord(","):
            yield unreadable_doc(source, "invalid JSON: missing array element", identity=f"{path}#/{index}")
            pos, index = pos + 1, index + 1
            continue
        start, end, hasher, dropped = _scan_element(buf, start, limits)
        if hasher is not None:
            hasher.update(buf.data[start:end])
            document = unit_too_large(source, dropped + end - start, limits, hasher.hexdigest())
        else:
            document = parse_unit(buf.data[start:end].rstrip(), source, limits, column=column)
        yield document
        if end >= len(buf.data):
            if not isinstance(document, RejectedDocument):  # else the cut element said it already
                at_end = SourceRef(path=path, line=buf.line_at(end))
                yield unreadable_doc(at_end, "invalid JSON: array not closed", identity=f"{path}#eof")
            return
        if buf.data[end] == ord("]"):
            yield from _after_array(buf, end + 1, path)
            return
        pos, index = end + 1, index + 1


def _skip_space(buf: _Buffer, pos: int) -> int:
    while True:
        pos = _SPACE.match(buf.data, pos).end()  # type: ignore[union-attr]
        if pos < len(buf.data) or buf.eof:
            return pos
        pos -= buf.fill(pos)
        if buf.eof:
            return pos


def _scan_element(buf: _Buffer, start: int, limits: Limits) -> tuple[int, int, hashlib._Hash | None, int]:
    """(start, end, hasher, dropped): `end` is the ',' or ']' closing the element (or EOF).

    An element over the size limit is hashed and dropped as the window slides (`hasher` is set,
    `dropped` counts its discarded bytes): memory stays bounded by the limit plus one chunk.
    """
    depth = 0
    pos = start
    hasher: hashlib._Hash | None = None
    dropped = 0
    in_string = False
    while True:
        data = buf.data
        if in_string:
            pos = _STRING_REST.match(data, pos).end()  # type: ignore[union-attr]
            if pos < len(data) and data[pos] == ord('"'):
                in_string = False
                pos += 1
                continue
        else:
            pos = (_SKIP_DEEP if depth else _SKIP_TOP).match(data, pos).end()  # type: ignore[union-attr]
            if pos < len(data):
                char = data[pos]
                if char == ord('"'):  # a string the window cuts: scan it piecewise
                    in_string = True
                    pos += 1
                elif char in _OPEN:
                    depth += 1
                    pos += 1
                elif char in _CLOSE and depth:
                    depth -= 1
                    pos += 1
                elif char == ord("}") or (char == ord(",") and depth):
                    pos += 1  # a stray '}' stays in the element for the parser to report
                else:
                    return start, pos, hasher, dropped
                continue
        if buf.eof:
            return start, len(data), hasher, dropped
        if hasher is None and pos - start > limits.max_document_bytes:
            hasher = hashlib.sha256()
        if hasher is not None:
            hasher.update(data[start:pos])
            dropped += pos - start
            start = pos
        shift = buf.fill(start)
        start, pos = start - shift, pos - shift


def _after_array(buf: _Buffer, pos: int, path: str) -> Iterator[Document]:
    """Only whitespace may follow the closing ']'."""
    pos = _skip_space(buf, pos)
    if pos < len(buf.data):
        source = SourceRef(path=path, line=buf.line_at(pos))
        yield unreadable_doc(
            source, "invalid JSON: unexpected content after the array", identity=f"{path}#after"
        )
