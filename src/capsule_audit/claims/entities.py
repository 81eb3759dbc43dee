"""Named things in a sentence: institutions (canonical), people and handles, method headers
(named methods in running text: `claims.named_methods`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from capsule_audit.identifiers.acronyms import acronym_matches

_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{2,39}(?![\w@])")
_PERSON = re.compile(
    r"\b(?:Prof\.|Professor|Dr\.)\s+(?P<name>[A-Z][a-z]+(?:[ -](?:[A-Z]\.|[A-Z][a-z]+)){1,2})(?![A-Za-z])"
)
ACRONYM = r"[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"
"""An acronym as a pattern: a capital, then letters and digits, parts joined by hyphens."""
# '- 1. Name (ACR)**', '1. **Name (ACR)**', '**3. Name (ACR)**', '### 2. Name (ACR) for Long Context',
# '**4. phi-4**', '**5. LLM.int8()**', '**6. GPT-3 (Generative Pre-trained Transformer 3)**'
_METHOD_HEADER = re.compile(
    r"^[*_\s]*(?:(?P<ordinal>\d{1,3})[.)]\s*)?[*_\s]*"
    # The lookahead only restates what must follow a name; it spares the lazy name's every
    # one-character step the whole rest of the pattern (twice as fast on real headers). A name
    # may hold an empty call '()' ('LLM.int8()'), never another parenthesis.
    r"(?P<name>[A-Za-z0-9](?:[^()\n*]|\(\)){2,150}?)(?=[\s(*_:]|$)\s*"
    rf"(?:\((?P<acronym>{ACRONYM})\)(?P<tail>[^()\n*.]{{0,80}}?)"
    r"|\((?P<expansion>[A-Za-z0-9][^()\n*]{2,100})\))?"
    r"[*_\s]*:?[*_\s]*$"
)

_NUMBER_FIRST = re.compile(r"[*_\s]*\d")
_LETTER_AND_DIGITS = re.compile(r"[A-Z][0-9]{1,2}")  # 'T5', 'T0', 'E5'; not 'A100'


@dataclass(frozen=True, slots=True)
class MethodHeader:
    """A parsed numbered method header."""

    ordinal: int | None
    name: str
    acronym: str | None


def is_acronym(token: str) -> bool:
    """Whether `token` reads as an acronym: 'SARIR', 'DPO-UW', 'ATD-CF', 'NeST', 'T2S-Bench', 'T5'."""
    capitals = sum(1 for char in token if char.isupper())
    if capitals == 1 and _LETTER_AND_DIGITS.fullmatch(token):
        return True
    return capitals >= 2 and " " not in token and len(token) <= 20


def parse_method_header(line: str, list_ordinal: int | None) -> MethodHeader | None:
    """The method a header line names, or None when the line is not a numbered method header.

    A header is numbered (by its own '3.' or the ordered list item it opens), has no sentence
    ending, and either names an acronym in parentheses or is wrapped in '**'. Names may be
    lower-case, hold digits, dots and an empty call ('phi-4', 'word2vec', 'LLM.int8()'); an
    acronym may come first with its expansion in parentheses ('GPT-3 (Generative Pre-trained
    Transformer 3)').
    """
    if len(line) > 260 or line.rstrip("*_ ").endswith((".", "!", "?", ";", ",")):
        return None
    # Cheap necessary conditions before the costly match: an acronym needs '(', a bare name '**'
    # or '__'; without a list ordinal, the line's own number comes first.
    if "(" not in line and "**" not in line and "__" not in line:
        return None
    if list_ordinal is None and _NUMBER_FIRST.match(line) is None:
        return None
    match = _METHOD_HEADER.match(line)
    if match is None:
        return None
    ordinal = int(match.group("ordinal")) if match.group("ordinal") else list_ordinal
    acronym, expansion = match.group("acronym"), match.group("expansion")
    if ordinal is None:
        return None
    if acronym is not None and (not is_acronym(acronym) or canonical_institution(acronym)):
        if match.group("tail").strip():
            return None
        acronym, expansion = None, acronym  # 'Llama 2 (Meta)', 'GPT-4 (OpenAI)': a note
    # The name is what the acronym expands to: 'Sparse Activation Replay (SAR) for Long-Context
    # Training' is 'Sparse Activation Replay', which compares across capsules.
    name = " ".join(match.group("name").split())
    if expansion is not None and is_acronym(name) and acronym_matches(name, expansion):
        name, acronym = " ".join(expansion.split()), name
    if acronym is None and "**" not in line and "__" not in line:
        return None
    return MethodHeader(ordinal=ordinal, name=name, acronym=acronym)


@cache
def _institution_index() -> tuple[re.Pattern[str], dict[str, str]]:
    data = resources.files("capsule_audit.data").joinpath("institutions.yaml").read_text("utf-8")
    table = yaml.safe_load(data) or {}
    canonical: dict[str, str] = {}
    for name, aliases in sorted(table.items()):
        for alias in [name, *(aliases or [])]:
            canonical.setdefault(str(alias), str(name))
    # Longest alias first, grouped by first character: at any position only aliases with that
    # character are tried, in the same longest-first order as one flat alternation would.
    groups: dict[str, list[str]] = {}
    for alias in sorted(canonical, key=lambda a: (-len(a), a)):
        groups.setdefault(alias[0], []).append(re.escape(alias[1:]))
    # '(?<![\w-])' is checked just after each first character ('G(?<![\w-]G)oogle'): a pattern
    # that opens with literals lets the regex engine skip ahead to candidate first letters.
    alternation = "|".join(
        f"{re.escape(first)}(?<![\\w-]{re.escape(first)})(?:{'|'.join(rest)})"
        for first, rest in sorted(groups.items())
    )
    return re.compile(rf"(?:{alternation})(?![\w-])"), canonical


def canonical_institution(name: str) -> str | None:
    """The canonical name of an institution alias, or None when it is unknown."""
    return _institution_index()[1].get(name.strip())


# A name used as a product, a vendor or a provider is not an affiliation: 'the FP16 Hugging Face
# implementation', 'NVIDIA V100 GPUs', 'a cluster provided by Microsoft', 'Google Cloud TPUs'.
_PRODUCT_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:[A-Z0-9][\w.-]*\s+){0,2}(?:GPUs?|TPUs?|CPUs?|NPUs?|processors?|chips?|hardware"
    r"|devices?|(?:smart)?phones?|laptops?|clusters?|[Cc]loud|Azure|SDKs?|software|models?|weights"
    r"|implementations?|library|libraries|APIs?|servers?|accelerators?|kernels?|supercomputers?"
    r"|instances?|Hub|platform|checkpoints?|codebase|framework|toolkit|credits?)\b"
)
_PROVIDER_BEFORE = re.compile(
    r"\b(?:provided|funded|sponsored|donated|hosted|supplied|rented|lent|licensed|bought|acquired)"
    r"\s+(?:by|from)\s+(?:the\s+)?$"
)


def _is_affiliation(text: str, start: int, end: int) -> bool:
    """Whether the institution named at text[start:end] is credited, not used or paid."""
    if _PRODUCT_AFTER.match(text, end) is not None:
        return False
    return _PROVIDER_BEFORE.search(text[max(0, start - 40) : start]) is None


def find_institutions(text: str) -> tuple[str, ...]:
    """Canonical names of the institutions named in `text` as affiliations, in order of first
    mention; a name used for a product or a provider ('NVIDIA V100 GPUs') does not count."""
    pattern, canonical = _institution_index()
    found: dict[str, None] = {}
    for match in pattern.finditer(text):
        if _is_affiliation(text, match.start(), match.end()):
            found.setdefault(canonical[match.group(0)], None)
    return tuple(found)


@cache
def _parents() -> dict[str, frozenset[str]]:
    data = resources.files("capsule_audit.data").joinpath("institution_parents.yaml").read_text("utf-8")
    table = yaml.safe_load(data) or {}
    parents: dict[str, set[str]] = {}
    for parent, members in table.items():
        for member in members or []:
            parents.setdefault(str(member), set()).add(str(parent))
    return {member: frozenset(found) for member, found in parents.items()}


def with_parents(institutions: frozenset[str]) -> frozenset[str]:
    """The institutions and their parent organisations: {'Google DeepMind'} -> also 'Google'."""
    parents = _parents()
    extra = [parent for name in institutions for parent in parents.get(name, ())]
    return institutions | frozenset(extra) if extra else institutions


def find_people(text: str) -> tuple[str, ...]:
    """Credited people ('Prof. Lifu Huang' -> 'Lifu Huang') and handles ('@lvwerra'), in order."""
    if "Pr" not in text and "Dr" not in text and "@" not in text:
        return ()
    found: dict[str, None] = {}
    hits = (
        [(m.start(), m.group("name")) for m in _PERSON.finditer(text)] if "Pr" in text or "Dr" in text else []
    )
    hits += [(m.start(), m.group(0)) for m in _HANDLE.finditer(text)] if "@" in text else []
    for _, name in sorted(hits):
        found.setdefault(name, None)
    return tuple(found)


def mentions(text: str, term: str) -> int:
    """Position of the first whole-word mention of `term` in `text` ('SARIR-trained' counts), or -1."""
    start = 0
    while True:
        index = text.find(term, start)
        if index < 0:
            return -1
        before = text[index - 1] if index else " "
        after = text[index + len(term)] if index + len(term) < len(text) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return index
        start = index + 1
