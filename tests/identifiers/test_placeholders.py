"""Placeholder-like serials in every identifier scheme."""

from __future__ import annotations

import pytest

from capsule_audit.identifiers.placeholders import is_placeholder_serial, placeholder_part


@pytest.mark.parametrize("serial", ["00000", "01234", "12345", "98765", "43210", "1111", "1234"])
def test_placeholder_serials(serial: str) -> None:
    assert is_placeholder_serial(serial)


@pytest.mark.parametrize("serial", ["01567", "2026", "123", "3421", "01890", "12346", "", "12a45"])
def test_ordinary_serials(serial: str) -> None:
    assert not is_placeholder_serial(serial)


@pytest.mark.parametrize(
    ("key", "part"),
    [
        ("arxiv:2604.01234", "01234"),
        ("arxiv:2604.01567", None),
        ("doi:10.1038/s41563-026-01234-3", "01234"),
        ("doi:10.1038/s41563-026-01567-3", None),
        ("doi:10.5555/12345", "12345"),
        ("url:https://iclr.cc/virtual_2026/poster/98765", "98765"),
        ("url:https://icml.cc/2026/accepted-papers/paper_3421", None),
        ("url:https://example.org/12345/intro", None),
        ("title:the 12345 paper", None),
    ],
)
def test_placeholder_part_by_scheme(key: str, part: str | None) -> None:
    assert placeholder_part(key) == part
