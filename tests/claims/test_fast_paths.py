"""The speed-ups of extraction give exactly what the plain forms they replace give.

Each fast path (anchored identifier matching, patterns rewritten to open with literals, shared
model values) is compared with the straightforward version on generated text.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from capsule_audit.claims import citations, dates, entities, extract, figures
from capsule_audit.claims.construct import make
from capsule_audit.models import CapsuleRecord, SourceRef
from capsule_audit.models.claims import Span

_PIECES = [
    "https://", "HTTP://", "www.", "export.arxiv.org/abs/", "arxiv.org/pdf/", "arXiv:", "ARXIV :",
    "doi:", "DOI: ", "10.1038/", "10.48550/arXiv.", "dx.doi.org/", "doi.org/", "hep-th/", "math.GT/",
    "cs/", "1234567", "2604.01234", "v2", ".", "/", " ", "-", "_", "(", ")", "[", "]", '"', "ſ",
    "K", "İ", "é", "\n", "x", "Nature", " Machine", " Intelligence", " April", "npj", "Science",
    "ACL", "AAAI", " 2026", "on ", "On the ", " benchmark", "MMLU", "Google", " DeepMind", "MIT",
    "Microsoft Research", "As of ", "April 12, 2026", "as of",
]  # fmt: skip
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)

# The patterns as they were written before being reordered for speed.
_VENUE_PLAIN = re.compile(r"\b(?:" + "|".join(citations._VENUES) + r")(?: \d{4})?(?![\w-])")
_BENCHMARK_PLAIN = re.compile(figures._BENCHMARK.pattern.replace(r"[Oo](?<!\w[Oo])n", r"\b[Oo]n", 1))
_AS_OF_PLAIN = re.compile(rf"\b[Aa]s of\s+{dates.DATE_PATTERN}(?!\d)")


def _institutions_plain() -> re.Pattern[str]:
    canonical = entities._institution_index()[1]
    aliases = sorted(canonical, key=lambda alias: (-len(alias), alias))
    return re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, aliases))})(?![\w-])")


_INSTITUTIONS_PLAIN = _institutions_plain()


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(match.span(), match.groupdict()) for match in pattern.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_anchored_identifier_matching_equals_the_full_scan(text: str) -> None:
    full = [(match.span(), match.lastgroup) for match in citations._IDENTIFIER.finditer(text)]
    anchored = [(match.span(), match.lastgroup) for match in citations._identifier_matches(text)]
    assert anchored == full


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_reordered_patterns_match_as_the_plain_ones(text: str) -> None:
    assert _spans(citations._VENUE, text) == _spans(_VENUE_PLAIN, text)
    assert _spans(figures._BENCHMARK, text) == _spans(_BENCHMARK_PLAIN, text)
    assert _spans(dates._AS_OF, text) == _spans(_AS_OF_PLAIN, text)
    pattern = entities._institution_index()[0]
    assert [m.span() for m in pattern.finditer(text)] == [
        m.span() for m in _INSTITUTIONS_PLAIN.finditer(text)
    ]


def test_shared_fields_set_survives_model_copy() -> None:
    first, second = make(Span, {"start": 1, "end": 2}), make(Span, {"start": 3, "end": 4})
    copied = first.model_copy(update={"end": 5})
    assert copied.end == 5 and first.end == 2
    assert first.model_fields_set == second.model_fields_set == {"start", "end"}
    assert Span.model_validate(copied.model_dump()) == copied


def test_claims_of_one_method_item_share_equal_values() -> None:
    text = (
        "## Key Findings\n- 1. **Sparse Replay (SR)**\n- SR is fast. SR is also cheap.\n"
        "- Source: https://arxiv.org/abs/2604.01234\n"
    )
    record = CapsuleRecord(id="urn:x", text=text, source=SourceRef(path="-"))
    claims = extract(record).claims
    assert len(claims) == 2
    assert claims[0].method == claims[1].method
    assert (
        [c.key for c in claims[0].citations] == [c.key for c in claims[1].citations] == ["arxiv:2604.01234"]
    )


_FIGURE_PIECES = [
    "1", "12", "3.5", "2,5", "–", "—", "-", " ", "%", " percent", "x", "×", "B", "M", "k", "T",
    " billion", " parameters", " tokens", "context", " length", ".", "a", "_", "é", "\n",
]  # fmt: skip
_NUMBER = r"\d+(?:[.,]\d+)?"
# The figure patterns as they were written before opening with the digit.
_PERCENT_PLAIN = re.compile(rf"(?<![\w.-])(?:({_NUMBER})\s*[–—-]\s*)?({_NUMBER})\s*(?:%|percent\b)")
_SCALED_PLAIN = re.compile(figures._SCALED.pattern.replace(figures._FIRST_NUMBER, rf"(?<![\w.-])({_NUMBER})"))
_MULTIPLIER_PLAIN = re.compile(rf"(?<![\w.-])({_NUMBER})\s?[x×](?![\w])")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FIGURE_PIECES), max_size=14).map("".join))
def test_digit_first_figure_patterns_match_as_the_plain_ones(text: str) -> None:
    plain = [(m.span(), m.group(1), m.group(2)) for m in _PERCENT_PLAIN.finditer(text)]
    # The range's lower end moved to group 1 with the value, the upper end to group 2.
    fast = [
        (m.span(), m.group(1) if m.group(2) else None, m.group(2) or m.group(1))
        for m in figures._PERCENT.finditer(text)
    ]
    assert fast == plain
    assert _spans(figures._SCALED, text) == _spans(_SCALED_PLAIN, text)
    assert _spans(figures._MULTIPLIER, text) == _spans(_MULTIPLIER_PLAIN, text)
