"""Leaf blocks and their character offsets, also on non-ASCII text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from capsule_audit.claims.sections import byte_to_char, leaf_lines, parse_leaves


def test_offsets_are_characters_not_bytes() -> None:
    text = "## Analysé\nSAAT updates 15–20% of “parameters”.\n\n- 1. **Näme (ABC)**\n"
    leaves = parse_leaves(text)
    sources = [text[leaf.start : leaf.end] for leaf in leaves]
    assert sources == ["Analysé", "SAAT updates 15–20% of “parameters”.", "**Näme (ABC)**"]
    assert [leaf.kind for leaf in leaves] == ["heading", "text", "text"]
    assert leaves[2].ordinal == 1


def test_byte_to_char_on_multibyte_characters() -> None:
    text = "a–b😀c"
    convert = byte_to_char(text)
    encoded = text.encode()
    for index in range(len(text) + 1):
        assert convert(len(text[:index].encode())) == index
    assert len(encoded) > len(text)


def test_ordered_list_numbers_follow_the_list_start() -> None:
    leaves = parse_leaves("3. **Third (TRD)**\n4. Fourth\n")
    assert [leaf.ordinal for leaf in leaves] == [3, 4]


def test_leaf_lines_trim_and_skip_blank_lines() -> None:
    text = "First line\n   second line  \n"
    (leaf,) = parse_leaves(text)
    assert [text[s:e] for s, e in leaf_lines(text, leaf)] == ["First line", "second line"]


@given(st.text(max_size=300))
def test_leaves_lie_inside_the_text(text: str) -> None:
    for leaf in parse_leaves(text):
        assert 0 <= leaf.start <= leaf.end <= len(text)
