"""Byte streams: gzip by magic bytes, the decompressed-size cap, byte order marks."""

from __future__ import annotations

import gzip
import io

import pytest

from capsule_audit.loading.streams import FileTooLargeError, open_stream, sniff_bom


def test_gzip_is_opened_by_magic_bytes() -> None:
    assert open_stream(io.BytesIO(gzip.compress(b"hello\n")), 1000).read() == b"hello\n"
    assert open_stream(io.BytesIO(b"hello\n"), 1000).read() == b"hello\n"


def test_decompressed_size_is_capped() -> None:
    bomb = gzip.compress(b"0" * 100_000)
    reader = open_stream(io.BytesIO(bomb), 10_000)
    with pytest.raises(FileTooLargeError):
        reader.read()


@pytest.mark.parametrize(
    ("head", "encoding", "rest"),
    [
        (b"\xef\xbb\xbf{}", None, b"{}"),
        (b"\xff\xfe{\x00", "UTF-16", None),
        (b"\x00\x00\xfe\xff", "UTF-32", None),
        (b"{}", None, b"{}"),
    ],
)
def test_bom_sniffing(head: bytes, encoding: str | None, rest: bytes | None) -> None:
    reader = open_stream(io.BytesIO(head), 1000)
    assert sniff_bom(reader) == encoding
    if rest is not None:
        assert reader.read() == rest
