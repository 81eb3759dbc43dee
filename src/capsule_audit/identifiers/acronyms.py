"""Acronyms as LLM papers write them: 'RGO', 'LoRA', 'SimPO', 'QLoRA', 'DeBERTa', 'GPT-3', 'T5'.

An acronym stands for a name when its characters can be read off the name's word parts in order:
a capital or digit opens a part ('L' for 'Low', 'R' for 'Rank'), a lower-case letter may go on
with the part just opened ('o' in 'Lo-w') or open one of its own ('o' for 'of' in 'MoE'), and a
run of capitals may be a whole part ('BERT' in 'DeBERTa'). Parts may be skipped, but the acronym
must account for most of the name's significant parts (`MIN_COVERAGE`). 'T5' also reads as five
'T's ('Text-to-Text Transfer Transformer').

`block_letters` are the characters that open parts, for a blocking key that an acronym and its
name share: 'LoRA' and 'Low-Rank Adaptation' both give 'lra', 'SimPO' and 'Simple Preference
Optimization' 'spo', 'CoT' and 'Chain-of-Thought' 'ct'.
"""

from __future__ import annotations

import re
from functools import lru_cache

STOPWORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "the", "to", "via", "with"})  # fmt: skip
MIN_COVERAGE = 0.6  # share of a name's significant word parts an acronym must account for
_MAX_ACRONYM = 20

_PART = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")
_REPEATED = re.compile(r"([A-Z])([2-9])")  # 'T5': five T's


def acronym_like(token: str) -> bool:
    """Whether a one-token name reads as an acronym: 'RGO', 'LoRA', 'SimPO', 'GPT-3', 'T5', 'ATD-CF'.

    It opens with a letter, holds a capital, and at least two capitals or digits: 'Transformer',
    'word2vec' and 'phi-4' are names.
    """
    token = token.strip()
    if not token or len(token) > _MAX_ACRONYM or not token[0].isalpha() or any(c.isspace() for c in token):
        return False
    capitals = sum(1 for c in token if c.isupper())
    digits = sum(1 for c in token if c.isdigit())
    return capitals >= 1 and capitals + digits >= 2 and token[0].isupper()


def name_parts(name: str) -> tuple[tuple[str, bool], ...]:
    """Lower-case word parts with whether each is significant (not a small word).

    'Chain-of-Thought' -> chain, of (small), thought; 'The Pile' -> pile (a leading small word goes).
    """
    parts: list[tuple[str, bool]] = []
    for word in _WORD.findall(name.lower()):
        if word in STOPWORDS:
            if parts:
                parts.append((word, False))
            continue
        for part in _PART.findall(word):
            significant = part not in STOPWORDS
            if parts or significant:
                parts.append((part, significant))
    while parts and not parts[-1][1]:
        parts.pop()
    return tuple(parts)


def name_initials(name: str) -> str:
    """The initials of a name's significant parts: 'Low-Rank Adaptation' -> 'lra'."""
    return "".join(part[0] for part, significant in name_parts(name) if significant)


def block_letters(acronym: str) -> str:
    """The characters of an acronym that open name parts, lower-case: 'SimPO' -> 'spo', 'T5' -> 'ttttt'."""
    chars = re.sub(r"[^A-Za-z0-9]", "", acronym)
    repeated = _REPEATED.fullmatch(chars)
    if repeated:
        return repeated.group(1).lower() * int(repeated.group(2))
    opening = "".join(c for c in chars if c.isupper() or c.isdigit())
    return (opening or chars).lower()


def acronym_matches(acronym: str, name: str) -> bool:
    """Whether `acronym` (as written: case matters) stands for `name` (see the module docstring)."""
    chars = re.sub(r"[^A-Za-z0-9]", "", acronym)
    if not chars:
        return False
    if chars.lower() == re.sub(r"[^A-Za-z0-9]", "", name).lower():
        return True  # one word written two ways: 'Word2Vec' and 'word2vec'
    parts = name_parts(name)
    if _coverage(chars, parts):
        return True
    repeated = _REPEATED.fullmatch(chars)
    return repeated is not None and _coverage(repeated.group(1) * int(repeated.group(2)), parts)


def _coverage(chars: str, parts: tuple[tuple[str, bool], ...]) -> bool:
    significant = sum(1 for _, s in parts if s)
    if not significant or chars[0].lower() != parts[0][0][0]:
        return False
    best = _best(chars, parts)
    return best >= 0 and best / significant >= MIN_COVERAGE


@lru_cache(maxsize=4096)
def _best(chars: str, parts: tuple[tuple[str, bool], ...]) -> int:
    """The most significant parts a reading of `chars` off `parts` accounts for; -1 for none."""
    # One lower-case-only or capitals-only acronym reads every letter as opening a part.
    mixed = chars != chars.upper() and chars != chars.lower()
    lowered = chars.lower()
    memo: dict[tuple[int, int, int, int], int] = {}

    def read(i: int, nxt: int, part: int, offset: int) -> int:
        if i == len(chars):
            return 0
        state = (i, nxt, part, offset)
        if state in memo:
            return memo[state]
        c, low = chars[i], lowered[i]
        best = -1
        # Go on with the part just opened: lower-case letters of a mixed acronym ('o' in 'LoRA').
        if part >= 0 and mixed and c.islower():
            text = parts[part][0]
            if offset < len(text) and text[offset] == low:
                best = max(best, read(i + 1, nxt, part, offset + 1))
        for q in range(nxt, len(parts)):
            text, significant = parts[q]
            if i == 0 and q > 0:
                break  # the first character opens the first part
            gain = 1 if significant else 0
            if text[0] == low:
                found = read(i + 1, q + 1, q, 1)
                if found >= 0:
                    best = max(best, found + gain)
            # A run of capitals that is a whole part: 'BERT' in 'DeBERTa'.
            end = i + len(text)
            if len(text) >= 2 and chars[i:end].isupper() and lowered[i:end] == text and end > i + 1:
                found = read(end, q + 1, -1, 0)
                if found >= 0:
                    best = max(best, found + gain)
        memo[state] = best
        return best

    return read(0, 0, -1, 0)
