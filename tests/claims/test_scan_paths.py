"""Scans replaced by cheaper equivalents give exactly what the plain scans give.

Anchored matching at candidate positions (sentence marks, number starts) against `finditer`,
patterns with an added lookahead that only restates what the rest requires against the
patterns without it, and the bare-URL shortcut against the general citation scan.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from capsule_audit.claims import citations, dates, entities, figures, named_methods, sentences

_SENTENCE_PIECES = [
    "Word", " ", "  ", "\n", ".", "..", "!", "?", "…", "e.g.", " U.S.", " J.", " Dr.", "vs.", '"', "”",
    ")", "]", "*", "_", "(", "[", "A", "a", "1", "2.0", "@x", "#", "•", "é", "–",
]  # fmt: skip
_FIGURE_PIECES = [
    "1", "12", "3.5", "2,5", "٣", "–", "-", " ", "%", " percent", "x", "×", "B", "M", "k", " billion",
    " parameters", "context", " length", ".", "a", "_", "é", " higher", " reduces cost by ", "\n",
]  # fmt: skip
_NAME_PIECES = [
    "Sparse", " ", "  ", "Activation", " of", " the", " and", "Replay", "(", ")", "SAR", "DPO-UW",
    "x", "'", "’", "-", "_", ",", ".", "é", "É", "\n", "2", "A", "NeST", " (", ")**", ":", "*",
    " (SAR)", " (DPO-UW)", " (x)", "SAR (Sparse Activation Replay)", "NeST (Neuron-State Model)", " Of",
]  # fmt: skip
_URL_PIECES = [
    "https://", "HTTP://", "http://", "arxiv.org/abs/", "doi.org/", "10.1038/", "2604.01234", "v2",
    "x.org", "/", ".", ",", ")", "(", "]", "_", "-", "?q=1", "#f", "é", " ", "“", '"', "hep-th/9901001",
]  # fmt: skip


def _text(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=16).map("".join)


def _matches(found: list[re.Match[str]]) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(match.span(), match.groups()) for match in found]


@settings(max_examples=500, deadline=None)
@given(_text(_SENTENCE_PIECES), st.integers(0, 6), st.integers(0, 6))
def test_boundary_matches_equal_finditer(text: str, cut_start: int, cut_end: int) -> None:
    start, stop = min(cut_start, len(text)), max(0, len(text) - cut_end)
    plain = list(sentences._BOUNDARY.finditer(text, start, stop))
    assert _matches(sentences.boundary_matches(text, start, stop)) == _matches(plain)


@settings(max_examples=500, deadline=None)
@given(_text(_FIGURE_PIECES))
def test_figure_matches_at_number_starts_equal_finditer(text: str) -> None:
    starts = [match.start() for match in figures._NUMBER_START.finditer(text)]
    if text.isascii():
        assert [m.start() for m in figures._ASCII_NUMBER_START.finditer(text)] == starts
    for pattern in (figures._PERCENT, figures._SCALED, figures._MULTIPLIER):
        assert _matches(figures.matches_at(pattern, text, starts)) == _matches(list(pattern.finditer(text)))


_METHOD_HEADER_PLAIN = re.compile(entities._METHOD_HEADER.pattern.replace(r"(?=[\s(*_:]|$)", "", 1))
_NAMED_PLAIN = re.compile(named_methods._NAMED.pattern.replace(named_methods._NAMED_GUARD, "", 1))
_ACRONYM_FIRST_PLAIN = re.compile(
    rf"(?<![\w-])(?P<acronym>{entities.ACRONYM})\s+\((?P<name>[A-Z][\w'’-]*(?:\s+[\w'’-]+){{1,6}})\)"
)


@settings(max_examples=800, deadline=None)
@given(st.sampled_from(["", "1. ", "- 2. ", "**3. ", "12) ", "  "]), _text(_NAME_PIECES))
def test_guarded_name_patterns_match_as_the_plain_ones(prefix: str, text: str) -> None:
    line = prefix + text
    header = entities._METHOD_HEADER.match(line)
    plain_header = _METHOD_HEADER_PLAIN.match(line)
    assert (header and header.groupdict()) == (plain_header and plain_header.groupdict())
    assert _matches(list(named_methods._NAMED.finditer(line))) == _matches(list(_NAMED_PLAIN.finditer(line)))
    assert _matches(list(named_methods._ACRONYM_FIRST.finditer(line))) == _matches(
        list(_ACRONYM_FIRST_PLAIN.finditer(line))
    )


@settings(max_examples=800, deadline=None)
@given(_text(_URL_PIECES), st.integers(0, 500))
def test_bare_url_shortcut_equals_the_general_scan(text: str, offset: int) -> None:
    assert citations.find_citations(text, offset) == citations.scan_citations(text, offset)
    assert citations.find_citations("https://" + text, offset) == citations.scan_citations(
        "https://" + text, offset
    )


_DATE_PIECES = [
    "As of ", "as of", "s of ", "As", "a", "was of ", "April 12, 2026", "12 April 2026", "2026-04-12", " ",
    "\n", "x",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(_text(_DATE_PIECES))
def test_as_of_found_at_its_words_equals_the_search(text: str) -> None:
    found, plain = dates._as_of_match(text), dates._AS_OF.search(text)
    assert (found and (found.span(), found.groups())) == (plain and (plain.span(), plain.groups()))


_WORD_BEFORE_PLAIN = re.compile(r"(?<![A-Za-z0-9])([A-Za-z][A-Za-z.]*)\.+[\"'”’)\]*_]*$")
_DOTTED_ACRONYM_PLAIN = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
_ABBREVIATION_PIECES = [
    "e",
    ".",
    "g",
    "U",
    "S",
    "J",
    " ",
    "1",
    "vs",
    "etc",
    "é",
    "-",
    "(",
    "al",
    "x",
    "Z",
    "..",
    "_",
]


def _is_abbreviation_plain(prefix: str) -> bool:
    match = _WORD_BEFORE_PLAIN.search(prefix) if prefix.endswith(".") else None
    if match is None:
        return False
    word = match.group(1)
    if (len(word) == 1 and word.isupper()) or _DOTTED_ACRONYM_PLAIN.match(word):
        return True
    return word.lower() in sentences._ABBREVIATIONS


@settings(max_examples=1500, deadline=None)
@given(_text(_ABBREVIATION_PIECES))
def test_abbreviation_check_by_string_methods_equals_the_regex_one(text: str) -> None:
    prefix = text + "."
    match = _WORD_BEFORE_PLAIN.search(prefix)
    assert sentences.word_before(prefix) == (match.group(1) if match else None)
    assert sentences._is_abbreviation(text) == _is_abbreviation_plain(text)
    assert sentences._is_abbreviation(prefix) == _is_abbreviation_plain(prefix)


# The linear-time rewrites of scans that were quadratic on hostile runs ('[' * N, '<http://' * N,
# N capitalized words before '(', N blank lines) against the patterns they stand for.
_LINK_PIECES = ["[", "]", "(", ")", "!", "![", "](", "a", " ", "\n", "x.org", "[a](u)", "<", ">"]  # fmt: skip
_AUTOLINK_PIECES = ["<", ">", "http://", "https://", "www.", "HTTP://", "a", " ", "\n", "<<", "x.org", "/"]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(_text(_LINK_PIECES))
def test_strip_links_equals_the_link_pattern(text: str) -> None:
    from capsule_audit.claims import markup

    assert markup.strip_links(text) == markup._LINK.sub(r"\1", text)


@settings(max_examples=1500, deadline=None)
@given(_text(_AUTOLINK_PIECES))
def test_strip_autolinks_equals_the_autolink_pattern(text: str) -> None:
    from capsule_audit.claims import markup

    assert markup.strip_autolinks(text) == markup._AUTOLINK.sub(r"\1", text)


@settings(max_examples=1500, deadline=None)
@given(_text([*_NAME_PIECES, " a", " B", "xY", "\t", "Of ", " of"]))
def test_named_matches_from_name_tails_equal_finditer(text: str) -> None:
    assert _matches(list(named_methods._named_matches(text))) == _matches(
        list(named_methods._NAMED.finditer(text))
    )


_MENTION_PIECES = ["SAR", "SARIR", "DPO-UW", "DPO", " ", "-", "_", "a", "é", "(", ")", "Sparse Activation", "'", "1", ""]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(_text(_MENTION_PIECES), min_size=1, max_size=5), _text(_MENTION_PIECES))
def test_term_index_finds_what_mentions_finds(terms: list[str], text: str) -> None:
    from capsule_audit.claims.mentions import TermIndex

    expected = {term: entities.mentions(text, term) for term in terms if entities.mentions(text, term) >= 0}
    assert TermIndex(terms).first_positions(text) == expected


_LINE_START_PIECES = ["\n", " ", "\t", "Sources (3)", "Sources (12)", "Updated Mar 9, 2026", "updated 2026-03-09", "x", "Last Updated: 9 March 2026"]  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(_text(_LINE_START_PIECES))
def test_line_start_patterns_find_what_their_whitespace_spanning_forms_found(text: str) -> None:
    from capsule_audit.claims import digest
    from capsule_audit.normalize import digest as page

    for pattern in (digest._SOURCE_COUNT, dates._UPDATED, page._UPDATED):
        spanning = re.compile(pattern.pattern.replace(r"^[^\S\n]*", r"^\s*", 1), pattern.flags)
        assert [m.groups() for m in pattern.finditer(text)] == [m.groups() for m in spanning.finditer(text)]


def _method_of_plain(sentence: str, systems: list[object]) -> object | None:
    """What digest `_method_of` did by asking `mentions` about every system."""
    best: tuple[int, object] | None = None
    for system in systems:
        acronym, name = system.acronym, system.name  # type: ignore[attr-defined]
        position = entities.mentions(sentence, acronym) if acronym else -1
        if position < 0:
            position = entities.mentions(sentence, name)
        if position >= 0 and (best is None or position < best[0]):
            best = (position, system)
    return best[1] if best else None


@settings(max_examples=800, deadline=None)
@given(
    st.lists(
        st.tuples(_text(_MENTION_PIECES), st.sampled_from([None, "SAR", "DPO", "DPO-UW", "X"])), max_size=6
    ),
    _text(_MENTION_PIECES),
)
def test_digest_method_of_equals_asking_every_system(
    named: list[tuple[str, str | None]], sentence: str
) -> None:
    from capsule_audit.claims import digest
    from capsule_audit.claims.drafts import MethodDraft

    systems, keys = [], set()
    for name, acronym in named:
        if (acronym or name) not in keys:  # the page's systems are one per acronym (or name)
            keys.add(acronym or name)
            systems.append(MethodDraft(None, name, acronym, 0, 0))
    assert digest._method_of(sentence, digest._SystemIndex(systems)) is _method_of_plain(sentence, systems)
