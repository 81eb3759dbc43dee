"""Byte streams for loading: gzip detected by magic bytes, a cap on decompressed size, BOMs."""

from __future__ import annotations

import gzip
import io
from typing import BinaryIO

__all__ = ["CHUNK", "FileTooLargeError", "open_stream", "sniff_bom"]

CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)


class FileTooLargeError(Exception):
    """The (decompressed) input grew past `Limits.max_file_bytes`; a gzip bomb, usually."""


class _Capped(io.RawIOBase):
    """A raw stream over any binary reader that counts bytes and stops at a cap."""

    def __init__(self, inner: BinaryIO | io.BufferedIOBase, cap: int | None) -> None:
        super().__init__()
        self._inner = inner
        self._cap = cap
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        # read1: hand on what is there (a pipe's lines) instead of blocking to fill a chunk
        read = getattr(self._inner, "read1", self._inner.read)
        data = read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.count += size
        if self._cap is not None and self.count > self._cap:
            raise FileTooLargeError(f"input is over the limit of {self._cap} bytes (after decompression)")
        return size


def open_stream(inner: BinaryIO, max_bytes: int) -> io.BufferedReader:
    """A buffered reader over `inner`, gunzipped when it starts with the gzip magic bytes.

    Reading raises `FileTooLargeError` past `max_bytes` of content, and `OSError`, `EOFError` or
    `zlib.error` for corrupt or truncated gzip; the caller turns those into findings.
    """
    outer = io.BufferedReader(_Capped(inner, None), CHUNK)
    if outer.peek(2)[:2] == _GZIP_MAGIC:
        return io.BufferedReader(_Capped(gzip.GzipFile(fileobj=outer, mode="rb"), max_bytes), CHUNK)
    return io.BufferedReader(_Capped(outer, max_bytes), CHUNK)


def sniff_bom(reader: io.BufferedReader) -> str | None:
    """Skip a UTF-8 BOM; return the encoding name of any other BOM (not supported), else None."""
    head = reader.peek(4)[:4]
    if head.startswith(_UTF8_BOM):
        reader.read(len(_UTF8_BOM))
        return None
    for bom, name in _OTHER_BOMS:
        if head.startswith(bom):
            return name
    return None
