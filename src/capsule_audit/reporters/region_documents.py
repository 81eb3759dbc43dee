"""The input files SARIF regions are read from: opened again (decompressed), and, for a file too
large to hold, cut into the documents that start a wanted line, one at a time (`regions`)."""

from __future__ import annotations

import gzip
import io
import os
import re
from collections.abc import Iterator

UTF8_BOM = b"\xef\xbb\xbf"
_STRING_BYTES = re.compile(rb'"(?:[^"\\]|\\.)*"')
DOCUMENT_MAX = 16 << 20
"""Largest document held when reading line by line (the loader refuses larger ones anyway)."""


def open_input(path: str) -> tuple[io.BufferedIOBase, bool] | None:
    """The file's (decompressed) byte stream and whether it was gzipped; None for stdin and URLs."""
    if path == "-" or path.startswith(("http://", "https://")) or not os.path.isfile(path):
        return None
    handle = open(path, "rb")  # noqa: SIM115 - closed by the caller's `with`
    gzipped = handle.read(2) == b"\x1f\x8b"
    handle.seek(0)
    stream: io.BufferedIOBase = gzip.GzipFile(fileobj=handle, mode="rb") if gzipped else handle
    return stream, gzipped


def depth_change(line: bytes) -> int:
    """Brackets opened minus closed on a line (strings skipped: a JSON line break is never in one)."""
    bare = _STRING_BYTES.sub(b"", line) if b'"' in line else line
    return bare.count(b"{") + bare.count(b"[") - bare.count(b"}") - bare.count(b"]")


def documents(
    stream: io.BufferedIOBase, wanted: set[int], opening: tuple[bytes, ...]
) -> Iterator[tuple[int, bytes, int, int, int]]:
    """(LF line, bytes, SARIF line, byte offset, UTF-16 offset) of each document starting a wanted
    line with one of `opening` ('{' for an array's elements: its own '[' opens no document)."""
    sarif_line, byte, unit = 1, 0, 0
    held: list[bytes] = []
    held_at = (0, 0, 0, 0)
    depth = size = 0
    for lf, line in enumerate(stream, start=1):
        if lf == 1 and line.startswith(UTF8_BOM):
            line, byte = line[len(UTF8_BOM) :], len(UTF8_BOM)
        if not held and lf in wanted and line.lstrip()[:1] in opening:
            held_at, depth, size = (lf, sarif_line, byte, unit), 0, 0
            held = [line]
        elif held:
            held.append(line)
        if held:
            depth += depth_change(line)
            size += len(line)
            if depth <= 0 or size > DOCUMENT_MAX:
                if depth <= 0:
                    yield held_at[0], b"".join(held), held_at[1], held_at[2], held_at[3]
                held = []
        byte += len(line)
        unit += len(line) if line.isascii() else len(line.decode("utf-8").encode("utf-16-le")) // 2
        sarif_line += 1 + (line.count(b"\r") - line.count(b"\r\n") if b"\r" in line else 0)
