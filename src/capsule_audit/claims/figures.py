"""Numbers a sentence states, with unit, what they measure and which way they go.

'18% higher' on 'the AlpacaEval 2.0 benchmark' -> 18 %, higher, 'alpacaeval 2.0';
'reduces training costs by 35%' -> 35 %, lower, 'training cost'; '70B-parameter' -> 70 B,
'parameter'; '131k context length' -> 131 k, 'context length'; 'improves GSM8K accuracy by
4.1 points' -> 4.1 pt (an absolute difference), higher, 'gsm8k accuracy'. Model names such as
'Llama-3-8B' are names, not figures.
"""

from __future__ import annotations

import re
from typing import Literal

from capsule_audit.claims.construct import figure as new_figure
from capsule_audit.claims.construct import span
from capsule_audit.models.claims import Figure

Direction = Literal["higher", "lower"]

# Each pattern opens with the digit that starts its number, the '(?<![\w.-])' check right after
# it ('\d(?<![\w.-]\d)'): a pattern whose first item is a character class lets the regex engine
# skip ahead to digits instead of trying every position. '\d\d*' is '\d+'.
_NUMBER_START = re.compile(r"\d(?<![\w.-]\d)")
# The same on ASCII text, where '\d' is '[0-9]': an ASCII class scans a third faster.
_ASCII_NUMBER_START = re.compile(r"[0-9](?<![\w.-][0-9])")
_NUMBER = r"\d+(?:[.,]\d+)?"
_FIRST_NUMBER = r"(\d(?<![\w.-]\d)\d*(?:[.,]\d+)?)"
# '30–35%': the first number, then the range's upper end, which is the figure's value. Same
# matches as '(?<![\w.-])(?:(N)\s*[–—-]\s*)?(N)\s*%': a number can only be followed
# by a dash or '%' at its full length, so trying the range first changes nothing.
_PERCENT = re.compile(rf"{_FIRST_NUMBER}(?:\s*[–—-]\s*({_NUMBER}))?\s*(?:%|percent\b)")
_SCALED = re.compile(
    rf"{_FIRST_NUMBER}\s?(?:(B|M|K|k|T)\b|(billion|million|thousand|trillion)\b)"
    r"(?:[-\s]+(parameters?|params|tokens?|context(?:[-\s]+(?:length|window))?))?"
)
_MULTIPLIER = re.compile(rf"{_FIRST_NUMBER}\s?[x×](?![\w])")
# '4.1 points', '2.5 percentage points', '3-point', '1.2 pp': absolute differences, unit 'pt'.
_POINTS = re.compile(rf"{_FIRST_NUMBER}(?:\s?|-)(?:percentage[-\s])?(?:points?|pts?|pp)\b")
_WORD_SCALE = {"billion": "B", "million": "M", "thousand": "k", "trillion": "T", "K": "k"}
_UP = r"(?:higher|more|better|faster|greater|increase[sd]?|improve(?:s|d|ment)?|gains?|boost(?:s|ed)?|rais(?:es|ed)|speedup)"
_DOWN = r"(?:lower|less|fewer|slower|reduc(?:es|ed|tion|ing)|decrease[sd]?|cut(?:s|ting)?|drop(?:s|ped)?|sav(?:es|ed|ings?)|shrinks?)"
_JOINER = r"(?:and|or|but|while|which|that|with|without|compared|than|against|versus|vs)"
# A measure never runs across a joining word: 'higher MMLU score and reduced convergence time'.
_MEASURE = rf"(?P<measure>(?!{_JOINER}\b)[A-Za-z](?:(?!\s{_JOINER}\b)[\w.\- ]){{1,60}}?)"
_STOP = r"(?=\s*(?:$|[,.;:()]|\s(?:by|while|and|with|without|compared|than|against|versus|vs|across|on|for|in|at|over|per|to|from|when|using)\b))"
# 'reduces training costs by 35%': verb, measure, 'by', the number.
_VERB_BY = re.compile(
    rf"\b(?:(?P<up>{_UP})|(?P<down>{_DOWN}))\s+(?:the\s+|its\s+|their\s+)?{_MEASURE}\s+by\s+(?:up\s+to\s+|about\s+|roughly\s+|nearly\s+|over\s+|around\s+)?$"
)
# '12% higher MMLU score', '40% reduction in training energy use'
_AFTER = re.compile(
    rf"^\s*(?:(?P<up>{_UP})|(?P<down>{_DOWN}))\b(?:(?:\s+(?:in|on|of))?\s+(?:the\s+)?{_MEASURE}{_STOP})?"
)
_BENCHMARK = re.compile(
    r"[Oo](?<!\w[Oo])n\s+(?:the\s+)?(?P<name>[A-Z][\w.\-]*(?:\s+[\w.\-]+){0,3}?)\s+benchmark\b"
)
_GENERIC_MEASURE = re.compile(r"^(?:performance|accuracy|score|results?|evaluation|[\w-]+-based evaluation)$")


def normalize_measure(text: str) -> str:
    """Lower-case, single-spaced, final plural dropped: 'Training Costs' -> 'training cost'."""
    words = text.lower().split()
    if (
        words
        and len(words[-1]) > 3
        and words[-1].endswith("s")
        and not words[-1].endswith(("ss", "us", "is"))
    ):
        words[-1] = words[-1][:-1]
    return " ".join(words)


def _value(raw: str) -> float:
    return float(raw.replace(",", "."))


# _VERB_BY ends in 'by' or one of these words, then whitespace: only then is its search worth it.
_VERB_BY_TAILS = ("by", "to", "about", "roughly", "nearly", "over", "around")


def _direction_and_measure(sentence: str, start: int, end: int) -> tuple[Direction | None, str | None]:
    window = sentence[max(0, start - 90) : start]
    before = _VERB_BY.search(window) if window.rstrip().endswith(_VERB_BY_TAILS) else None
    if before:
        return ("higher" if before.group("up") else "lower"), normalize_measure(before.group("measure"))
    after = _AFTER.match(sentence[end : end + 90])
    if after:
        direction: Direction = "higher" if after.group("up") else "lower"
        measure = normalize_measure(after.group("measure")) if after.group("measure") else None
        # _BENCHMARK needs the word itself: the substring test spares most sentences its scan.
        benchmark = _BENCHMARK.search(sentence) if "benchmark" in sentence else None
        # 'On the AlpacaEval 2.0 benchmark, ... 18% higher in preference-based evaluation': the
        # benchmark is the comparable measure when the phrase itself is generic.
        if benchmark and (measure is None or _GENERIC_MEASURE.match(measure) or direction == "higher"):
            return direction, normalize_measure(benchmark.group("name"))
        return direction, measure
    return None, None


def find_figures(sentence: str, offset: int = 0) -> tuple[Figure, ...]:
    """The figures stated in `sentence`; spans are shifted by `offset`."""
    # Every figure starts at a number start; one scan finds them all (most sentences have none),
    # and each pattern is then tried only there instead of scanning the sentence again.
    number_start = _ASCII_NUMBER_START if sentence.isascii() else _NUMBER_START
    starts = [match.start() for match in number_start.finditer(sentence)]
    if not starts:
        return ()
    figures: list[tuple[int, Figure]] = []
    if "%" in sentence or "percent" in sentence:
        for match in matches_at(_PERCENT, sentence, starts):
            # A range '30–35%' is reported at its upper end, as 'up to' figures are.
            direction, measure = _direction_and_measure(sentence, match.start(), match.end())
            value = _value(match.group(2) or match.group(1))
            figures.append((match.start(), _figure(match, value, "%", measure, direction, offset)))
    for match in matches_at(_SCALED, sentence, starts):
        unit = match.group(2) or match.group(3)
        unit = _WORD_SCALE.get(unit, unit)
        measure = match.group(4)
        if measure is None and unit == "B" and "parameter" in sentence:
            measure = "parameter"  # '7B and 13B parameter models'
        measure = "context length" if measure and measure.startswith("context") else measure
        figure = _figure(
            match, _value(match.group(1)), unit, normalize_measure(measure) if measure else None, None, offset
        )
        figures.append((match.start(), figure))
    if "point" in sentence or "pp" in sentence or "pt" in sentence:
        for match in matches_at(_POINTS, sentence, starts):
            direction, measure = _direction_and_measure(sentence, match.start(), match.end())
            figures.append(
                (match.start(), _figure(match, _value(match.group(1)), "pt", measure, direction, offset))
            )
    if "x" in sentence or "×" in sentence:
        for match in matches_at(_MULTIPLIER, sentence, starts):
            direction, measure = _direction_and_measure(sentence, match.start(), match.end())
            figures.append(
                (match.start(), _figure(match, _value(match.group(1)), "x", measure, direction, offset))
            )
    if len(figures) > 1:
        figures.sort(key=_position)
    return tuple(figure for _, figure in figures)


def matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """`list(pattern.finditer(text))` for a pattern whose every match begins at one of `starts`.

    The same non-overlapping, leftmost-first matches: `match(text, start)` still lets lookbehinds
    see the text before `start`.
    """
    found: list[re.Match[str]] = []
    last = 0
    for start in starts:
        if start >= last:
            match = pattern.match(text, start)
            if match is not None:
                found.append(match)
                last = match.end()
    return found


def _position(item: tuple[int, Figure]) -> int:
    return item[0]


def _figure(
    match: re.Match[str],
    value: float,
    unit: str,
    measure: str | None,
    direction: Direction | None,
    offset: int,
) -> Figure:
    raw = match.group(0).strip()
    start = match.start() + offset
    return new_figure(value, unit, raw, measure, direction, span(start, start + len(raw)))
