"""Named methods in running text: 'Name Words (ACR)' and 'ACR (Name Words)', found in linear time."""

from __future__ import annotations

import re
from collections.abc import Iterator

from capsule_audit.claims.entities import ACRONYM, canonical_institution, is_acronym

_CONNECTOR = r"(?:of|for|and|the|with|in|via|on|to|from|by|a|an)"
# Both open with a capital and carry a lookahead that only restates what the rest requires (the
# words up to '(' hold nothing but word characters, apostrophes, hyphens and spaces): a capital
# that no '(' follows is given up at once instead of after trying every shorter run of words.
_NAMED_GUARD = r"(?=[\w'’\s-]*\()"
_NAMED = re.compile(
    rf"(?P<name>[A-Z]{_NAMED_GUARD}[\w'’-]*(?:(?:\s+{_CONNECTOR})*\s+[A-Z0-9][\w'’-]*){{0,8}})"
    rf"\s+\((?P<acronym>{ACRONYM})\)"
)
# Where a 'Name Words (ACR)' can stand: a maximal run of name characters and the '(' ending it
# (possessive, and tried only where a run starts: each run is read once).
_NAME_REGION = re.compile(r"(?<![\w'’\s-])[\w'’\s-]*+\(")
_ACRONYM_PAREN = re.compile(rf"\({ACRONYM}\)")
_CONNECTORS = frozenset(_CONNECTOR[3:-1].split("|"))
_INNER_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_TOKEN = re.compile(r"\S+")
# '(?<![\w-])' is checked after the capital ('A(?<![\w-]A)'), so the engine skips to capitals.
_ACRONYM_FIRST = re.compile(
    r"(?P<acronym>[A-Z](?<![\w-][A-Z])(?=[A-Za-z0-9-]*\s+\()[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)"
    r"\s+\((?P<name>[A-Z][\w'’-]*(?:\s+[\w'’-]+){1,6})\)"
)


def named_methods(text: str) -> list[tuple[int, str, str]]:
    """'Name Words (ACR)' and 'ACR (Name Words)' in `text`: (position, name, acronym), in order."""
    found: list[tuple[int, str, str]] = []
    if "(" not in text:  # both forms need a parenthesis
        return found
    for match in _named_matches(text):
        if is_acronym(match.group("acronym")):
            name = " ".join(match.group("name").split())
            name = re.sub(r"^(?:The|A|An|In|On|For|With|By|Using|Via)\s+", "", name)
            if canonical_institution(name) is None:  # 'Massachusetts Institute of Technology (MIT)'
                found.append((match.start(), name, match.group("acronym")))
    for match in _ACRONYM_FIRST.finditer(text):
        if (
            is_acronym(match.group("acronym"))
            and not match.group("name").split()[0].isupper()
            and canonical_institution(" ".join(match.group("name").split())) is None
        ):
            found.append((match.start(), " ".join(match.group("name").split()), match.group("acronym")))
    return sorted(found)


def _named_matches(text: str) -> Iterator[re.Match[str]]:
    """`_NAMED.finditer(text)` in linear time.

    `_NAMED` tried at every capital of a run of N capitalized words before a '(' reads up to
    that '(' each time (N**2/2). A name holds at most 9 words that are not connectors, and
    every word after its first opens with a capital or digit; so each '(' (with an acronym
    after it) needs the pattern tried only from the tail of the words before it.
    """
    for region in _NAME_REGION.finditer(text):
        paren = region.end() - 1
        if paren == region.start() or not text[paren - 1].isspace():
            continue
        acronym = _ACRONYM_PAREN.match(text, paren)
        if acronym is None:
            continue
        words = [(word.start(), word.group()) for word in _TOKEN.finditer(text, region.start(), paren)]
        if not words or words[-1][1] in _CONNECTORS:
            continue  # the name must end in a word that is no connector
        start, counted = region.start(), 0
        for position, word in reversed(words):
            if word in _CONNECTORS:
                continue
            counted += 1
            if counted == 9 or word[0] not in _INNER_FIRST:
                start = position  # the name's first word is this one or a later one
                break
        match = _NAMED.search(text, start, acronym.end())
        if match is not None:
            yield match
