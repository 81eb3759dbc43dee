"""The line-based leaf path gives exactly pyromark's leaves, or declines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from capsule_audit.claims.blocks import simple_leaves
from capsule_audit.claims.sections import parse_leaves, pyromark_leaves
from tests.claims.conftest import SEEDS, seed_record

_CONTENT = st.lists(
    st.sampled_from(
        [
            "Word", "two words", " ", "  ", "**", "*", "_", "__", "Name (ACR)", "[link](https://x.org/a)",
            "é", "–", "😀", "1.", "2)", "#", "-", ">", "x", ".", ":", "=", "(", ")", "[", "]", "&",
        ]
    ),
    min_size=0,
    max_size=5,
).map("".join)  # fmt: skip
_MARKERS = st.sampled_from(
    [
        "", "", "", "- ", "- 1. ", "- 2. ", "- 10. ", "1. ", "2. ", "3. ", "1) ", "* ", "+ ", "## ", "# ",
        "### ", "####### ", "#", "  ", "    ", "-  ", "- - ", "> ", "```", "~~~", "---", "***", "===",
        "-", "1.  ", "- 1) ", "<div>", "\t", "1234567890. ", "٣. ", "- ٣. ", "１. ", "0. ", "- 007. ",
    ]
)  # fmt: skip
_LINE = st.tuples(_MARKERS, _CONTENT).map("".join)
_MARKDOWN = st.lists(_LINE, max_size=12).map("\n".join)
# Capsule-like text, which the fast path mostly takes: the comparison is rarely vacuous.
_SIMPLE_MARKERS = st.sampled_from(
    ["", "", "- ", "- 1. ", "- 3. ", "1. ", "2. ", "## ", "# ", "### ", "- ٣. ", "٣. "]
)
_SIMPLE_CONTENT = st.lists(
    st.sampled_from(["Word", " two words", "**", "*", "_x_", "Name (ACR)", "[a](b)", "é", "😀", ".", " "]),
    min_size=1,
    max_size=4,
).map("".join)
_SIMPLE_LINE = st.one_of(st.just(""), st.tuples(_SIMPLE_MARKERS, _SIMPLE_CONTENT).map("".join))
_SIMPLE_MARKDOWN = st.lists(_SIMPLE_LINE, max_size=12).map("\n".join)


def _assert_exact_or_declined(text: str) -> bool:
    fast = simple_leaves(text)
    if fast is None:
        return False
    assert fast == pyromark_leaves(text)
    return True


@settings(max_examples=1500, deadline=None)
@given(_MARKDOWN)
@example("1. a\n\n2. b\n\n\n5. c\n\n- 4. d\n2. e")
@example("Para\n- 1. Item\nlazy line\n## H\n3. x")
@example("- a\n\n- b\nlazy\n\nPara\n1. not interrupting")
def test_simple_leaves_equal_pyromark_leaves(text: str) -> None:
    _assert_exact_or_declined(text)


@settings(max_examples=1500, deadline=None)
@given(_SIMPLE_MARKDOWN)
def test_simple_leaves_equal_pyromark_leaves_on_capsule_like_text(text: str) -> None:
    _assert_exact_or_declined(text)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("00[0-3]_*.txt")), ids=lambda path: path.stem)
def test_seed_capsules_take_the_fast_path_exactly(path: Path) -> None:
    record = seed_record(path.stem)
    assert _assert_exact_or_declined(record.text)


@pytest.mark.parametrize(
    "text",
    [
        "    indented code\n",
        "```\nfenced\n```\n",
        "> quote\n",
        "Title\n=====\n",
        "Title\n---\n",
        "***\n",
        "a\\\nb",
        "<div>html</div>\n",
        "R&amp;D\n",
        "[ref]: https://x.org\n",
        "#hashtag\n",
        "## Closed ##\n",
        "Para\n2. continues the paragraph\n",
        "tab\there\n",
        "lone \ud800 surrogate\n",
    ],
)
def test_anything_else_is_left_to_pyromark(text: str) -> None:
    assert simple_leaves(text) is None
    assert parse_leaves(text) == pyromark_leaves(text)


@pytest.mark.parametrize("text", ["٣. Not a list item\n", "- ٣. Not a nested list\n", "Para\n- 2. Nested\n"])
def test_only_ascii_numbers_open_ordered_lists(text: str) -> None:
    assert parse_leaves(text) == pyromark_leaves(text)


def test_ordinals_count_within_a_list_and_restart_after_a_paragraph() -> None:
    text = "3. **Third (TRD)**\n\n7. Fourth\n\nPara\n\n5. Fifth\n- 2. **Nested (NST)**\n"
    leaves = parse_leaves(text)
    assert [leaf.ordinal for leaf in leaves] == [3, 4, None, 5, 2]
    assert leaves == pyromark_leaves(text)
