"""One byte stream to its documents, the format told by content (file names only hint).

- first non-blank byte '[': a JSON array, streamed element by element (`scanner.py`);
- '{' with the next non-blank line also starting with '{', or a `.jsonl`/`.ndjson` name: NDJSON,
  read line by line (memory flat in file size);
- '{' otherwise: one JSON document, the whole stream (an `@graph` wrapper stays whole), read only
  up to `max_document_bytes`;
- anything else: a text page (`.md` files always are), unless the name says JSON.

Only UTF-8 is read (a UTF-8 BOM is skipped); a UTF-16/32 BOM gives CA001. NDJSON lines holding
arrays need a `.jsonl`/`.ndjson` name (by content they look like a JSON array).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Iterator
from typing import Literal

from capsule_audit.config import Limits
from capsule_audit.loading.documents import Document, TextDocument
from capsule_audit.loading.rejects import content_identity, unreadable_doc
from capsule_audit.loading.scanner import iter_array
from capsule_audit.loading.streams import CHUNK, sniff_bom
from capsule_audit.loading.units import parse_unit, unit_too_large
from capsule_audit.models.records import SourceRef

__all__ = ["Hint", "iter_stream"]

Hint = Literal["json", "ndjson", "text"] | None
"""What the file name suggests; content decides unless the name is explicit."""


def iter_stream(reader: io.BufferedReader, path: str, limits: Limits, hint: Hint) -> Iterator[Document]:
    """Every document unit in `reader`, in order; `path` is the SourceRef path."""
    bom = sniff_bom(reader)
    if bom is not None:
        message = f"invalid encoding: {bom} byte order mark (only UTF-8 is read)"
        yield unreadable_doc(SourceRef(path=path, line=1), message, identity=f"{path}#encoding")
        return
    cap = limits.max_document_bytes + 1
    prefix, line, lineno = _next_content_line(reader, cap, 0)
    if not line:
        yield unreadable_doc(SourceRef(path=path), "no content: the input is empty", identity=f"{path}#empty")
        return
    first = line.lstrip()[:1]
    if hint == "text" or (hint is None and first not in (b"{", b"[")):
        yield _text(reader, prefix + line, path, limits)
    elif hint == "ndjson":
        yield from _ndjson(reader, [(lineno, line)], path, limits)
    elif first == b"[":
        yield from iter_array(reader, line, lineno, path, limits)
    elif _over(line, cap):
        yield from _ndjson(reader, [(lineno, line)], path, limits)  # a huge line: judged line by line
    else:
        between, second, lineno2 = _next_content_line(reader, cap, lineno)
        if first == b"{" and second.lstrip()[:1] == b"{":
            yield from _ndjson(reader, [(lineno, line), (lineno2, second)], path, limits)
        else:
            yield _whole(reader, line + between + second, SourceRef(path=path, line=lineno), limits)


def _over(line: bytes, cap: int) -> bool:
    """`readline(cap)` stopped at the cap, not at a newline."""
    return len(line) >= cap and not line.endswith(b"\n")


def _next_content_line(reader: io.BufferedReader, cap: int, lineno: int) -> tuple[bytes, bytes, int]:
    """(blank lines skipped, the next non-blank line or b'', its line number)."""
    skipped = b""
    while True:
        line = reader.readline(cap)
        lineno += 1
        if not line or not line.isspace():
            return skipped, line, lineno
        if len(skipped) < cap:
            skipped += line


def _drain(reader: io.BufferedReader, hasher: hashlib._Hash, *, line: bool) -> int:
    """Hash and discard the rest of the line (or stream); return the byte count."""
    size = 0
    while True:
        chunk = reader.readline(CHUNK) if line else reader.read(CHUNK)
        hasher.update(chunk)
        size += len(chunk)
        if not chunk or (line and chunk.endswith(b"\n")):
            return size


def _ndjson(
    reader: io.BufferedReader, head: Iterable[tuple[int, bytes]], path: str, limits: Limits
) -> Iterator[Document]:
    """One document per non-blank line; a broken line is one CA001 and the next line goes on."""
    cap = limits.max_document_bytes + 1
    index = 0
    lineno = 0
    for lineno, line in head:
        yield from _ndjson_line(reader, line, lineno, index, path, limits)
        index += 1
    readline = reader.readline
    while line := readline(cap):
        lineno += 1
        if line.isspace():
            continue
        yield from _ndjson_line(reader, line, lineno, index, path, limits)
        index += 1


def _ndjson_line(
    reader: io.BufferedReader, line: bytes, lineno: int, index: int, path: str, limits: Limits
) -> Iterator[Document]:
    source = SourceRef(path=path, line=lineno, index=index)
    if _over(line, limits.max_document_bytes + 1):
        hasher = hashlib.sha256(line)
        size = len(line) + _drain(reader, hasher, line=True)
        yield unit_too_large(source, size, limits, hasher.hexdigest())
    else:
        yield parse_unit(line.rstrip(b"\r\n"), source, limits)


def _read_capped(
    reader: io.BufferedReader, head: bytes, source: SourceRef, limits: Limits
) -> bytes | Document:
    """The rest of the stream, or a CA005 document when it is over the size limit (drained)."""
    cap = limits.max_document_bytes + 1
    raw = head + reader.read(max(cap - len(head), 0))
    if len(raw) >= cap:
        hasher = hashlib.sha256(raw)
        size = len(raw) + _drain(reader, hasher, line=False)
        return unit_too_large(source, size, limits, hasher.hexdigest())
    return raw


def _whole(reader: io.BufferedReader, head: bytes, source: SourceRef, limits: Limits) -> Document:
    """The rest of the stream as one JSON document."""
    raw = _read_capped(reader, head, source, limits)
    return parse_unit(raw, source, limits) if isinstance(raw, bytes) else raw


def _text(reader: io.BufferedReader, head: bytes, path: str, limits: Limits) -> Document:
    """The whole stream as a UTF-8 text page (a digest)."""
    source = SourceRef(path=path, line=1)
    raw = _read_capped(reader, head, source, limits)
    if not isinstance(raw, bytes):
        return raw
    nul = raw.find(b"\x00")
    if nul >= 0:
        return unreadable_doc(
            source, f"invalid encoding: NUL byte at byte {nul}", identity=content_identity(raw)
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"invalid encoding: not UTF-8 at byte {exc.start}"
        return unreadable_doc(source, message, identity=content_identity(raw))
    return TextDocument(source=source, text=text)
