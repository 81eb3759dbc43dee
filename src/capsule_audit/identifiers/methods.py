"""Method names: a blocking key for grouping, a canonical key, and whether two references agree.

"RGO" and "Recursive Gradient Optimization" are one method, and so are "LoRA", "Low-Rank
Adaptation" and "low rank adaptation": an acronym stands for a name when its characters read off
the name's word parts (`identifiers.acronyms`). `method_block` is the blocking key a METHOD group
is keyed on (several methods may share one; rules refine a group with `same_method`);
`method_key` is the canonical key a method's findings are reported under.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz

from capsule_audit.identifiers import acronyms, method_index, method_pieces
from capsule_audit.identifiers.acronyms import STOPWORDS as _STOPWORDS
from capsule_audit.identifiers.acronyms import acronym_like, block_letters, name_parts
from capsule_audit.models.claims import MethodRef

_NAME_SIMILARITY = method_pieces.SIMILARITY  # tolerates spelling variants, not different methods
_BLOCK = 2  # characters of a blocking key: what an acronym and its name reliably share


def _words(name: str) -> list[str]:
    """Lower-case words; hyphenated words stay whole ('pre-training')."""
    return [w for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", name.lower()) if w not in _STOPWORDS]


_NOT_ACRONYM = re.compile(r"[^A-Z0-9]")


def normalize_acronym(acronym: str) -> str:
    """Upper-case letters and digits only: 'DPO-UW' -> 'DPOUW', 'LoRA' -> 'LORA'."""
    return _NOT_ACRONYM.sub("", acronym.upper())


def normalize_name(name: str) -> str:
    """Lower-case significant word parts joined by spaces, for display-independent comparison:
    'Sparsely-Gated Mixture-of-Experts' and 'sparsely gated mixture of experts' are one name."""
    return " ".join(part for part, significant in name_parts(name) if significant)


def initials(name: str) -> str:
    """Upper-case initials of a name's words, hyphenated words counting once ('DCP')."""
    return "".join(w[0] for w in _words(name)).upper()


def _split(name: str | None, acronym: str | None) -> tuple[str | None, str | None]:
    """A 'name' that is really an acronym ('RGO', 'LoRA', 'GPT-3') is taken as the acronym."""
    bare = (name or "").strip()
    if bare and acronym_like(bare) and (not acronym or normalize_acronym(acronym) == normalize_acronym(bare)):
        return None, bare
    return name, acronym


def _canonical(ref: MethodRef) -> MethodRef:
    name, acronym = _split(ref.name, ref.acronym)
    return ref if name is not None else MethodRef(acronym=acronym)


def method_key(name: str | None, acronym: str | None) -> str | None:
    """The canonical key of a method: its acronym's letters and digits, else its name's initials.

    Lower-case ('rgo', 'lora', 'simpo', 'gpt3'), whatever the casing and punctuation. None when
    there is nothing to key on.
    """
    name, acronym = _split(name, acronym)
    letters = normalize_acronym(acronym) if acronym else ""
    if letters:
        return letters.lower()
    first = initials(name) if name else ""
    return first.lower() if first else None


def method_block(name: str | None, acronym: str | None) -> str | None:
    """The blocking key a method is grouped under: what its acronym and its name share.

    The first two characters that open the name's parts: 'LoRA', 'Low-Rank Adaptation' and
    'low rank adaptation' give 'lr'; 'SimPO' and 'Simple Preference Optimization' 'sp'; 'T5' and
    'Text-to-Text Transfer Transformer' 'tt'. A one-part name is its own key ('word2vec').
    """
    name, acronym = _split(name, acronym)
    letters = block_letters(acronym) if acronym else ""
    if letters:
        return letters[:_BLOCK]
    parts = [part for part, significant in name_parts(name or "") if significant]
    if len(parts) == 1:
        return parts[0]
    return "".join(part[0] for part in parts)[:_BLOCK] or None


def acronym_matches(acronym: str, name: str) -> bool:
    """True when `acronym` (as written) stands for `name`: `identifiers.acronyms.acronym_matches`."""
    return acronyms.acronym_matches(acronym, name)


def _names_agree(a: str, b: str) -> bool:
    """Fuzzy-equal names, or one name (2+ words) contained in the other ('… for Long-Context Training')."""
    na, nb = normalize_name(a), normalize_name(b)
    if not na or not nb:
        return False
    if fuzz.token_sort_ratio(na, nb) >= _NAME_SIMILARITY:
        return True
    wa, wb = set(na.split()), set(nb.split())
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return len(shorter) >= 2 and shorter <= longer


def _forms_may_agree(a: str, b: str) -> bool:
    """`_names_agree` on sorted name forms (`method_index.sorted_form`), without re-normalizing:
    a cheap test a pair must pass before `same_method` is asked."""
    if fuzz.token_sort_ratio(a, b, score_cutoff=_NAME_SIMILARITY) >= _NAME_SIMILARITY:
        return True
    wa, wb = set(a.split()), set(b.split())
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return len(shorter) >= 2 and shorter <= longer


def same_method(a: MethodRef, b: MethodRef) -> bool:
    """Whether two method references name one method (fuzzy names, acronyms, initials).

    Two names decide when both are given; otherwise equal acronyms, or an acronym matching the
    other's name, decide.
    """
    a, b = _canonical(a), _canonical(b)
    if a.name and b.name:
        return _names_agree(a.name, b.name)
    acr_a = normalize_acronym(a.acronym) if a.acronym else ""
    acr_b = normalize_acronym(b.acronym) if b.acronym else ""
    if acr_a and acr_b:
        return acr_a == acr_b
    if acr_a and a.acronym and b.name:
        return acronym_matches(a.acronym, b.name)
    if acr_b and b.acronym and a.name:
        return acronym_matches(b.acronym, a.name)
    return False


def method_label(ref: MethodRef) -> str:
    """How a method is named in messages: 'Recursive Gradient Optimization (RGO)', 'RGO'."""
    if ref.name and ref.acronym:
        return f"{ref.name} ({ref.acronym})"
    return ref.name or ref.acronym or "?"


def cluster_methods(refs: Sequence[MethodRef]) -> tuple[int, ...]:
    """For each ref, the index of its cluster; clusters numbered by first appearance.

    Named refs are joined when `same_method`. A ref without a name joins the one named cluster
    it matches; when it matches none or several (bare "RGO" next to two different RGO methods)
    it stays with the other bare refs it equals, so it never bridges two different methods.
    Only refs sharing a key that `same_method` implies are compared (`method_index`): linear work
    on many near-identical names and on names with distinctive text (see `method_index` for the
    case that is not).
    """
    # Deduplicate on plain tuples first: a group holds thousands of refs but a few distinct ones,
    # and hashing a model is far slower than hashing a tuple.
    raw = [(ref.name, ref.acronym) for ref in refs]
    canonical: dict[tuple[str | None, str | None], MethodRef] = {}
    for pair, ref in zip(raw, refs, strict=True):
        if pair not in canonical:
            canonical[pair] = _canonical(ref)
    distinct = list(dict.fromkeys(canonical.values()))
    forest = method_index.Forest(len(distinct))

    def agree(i: int, j: int) -> bool:
        return same_method(distinct[i], distinct[j])

    forms = {
        i: method_index.sorted_form(normalize_name(ref.name)) for i, ref in enumerate(distinct) if ref.name
    }
    method_index.join_named(forms, lambda i, j: _forms_may_agree(forms[i], forms[j]) and agree(i, j), forest)
    _join_bare(distinct, agree, forest)
    roots: dict[int, int] = {}
    index = {ref: roots.setdefault(forest.find(i), len(roots)) for i, ref in enumerate(distinct)}
    of_pair = {pair: index[ref] for pair, ref in canonical.items()}
    return tuple(of_pair[pair] for pair in raw)


def _join_bare(
    distinct: list[MethodRef], agree: Callable[[int, int], bool], forest: method_index.Forest
) -> None:
    """Join each name-less ref, in order, to the one named cluster it matches, else to the earlier
    name-less refs it equals that do not match exactly one named ref."""
    by_letters: dict[str, list[int]] = defaultdict(list)  # named refs by acronym letters
    by_reading: dict[str, list[int]] = defaultdict(list)  # named refs without: by what opens them
    for j, ref in enumerate(distinct):
        if not ref.name:
            continue
        letters = normalize_acronym(ref.acronym) if ref.acronym else ""
        if letters:
            by_letters[letters].append(j)
        else:
            for key in method_index.reading_keys(ref.name):
                by_reading[key].append(j)

    def named_matches(i: int) -> list[int]:
        acronym = distinct[i].acronym or ""
        letters = normalize_acronym(acronym)
        if not letters:
            return []  # matches nothing
        reading = by_reading.get(method_index.acronym_letters(acronym)[:1], [])
        return [j for j in (*by_letters.get(letters, ()), *reading) if agree(i, j)]

    earlier: dict[str, list[int]] = defaultdict(list)  # name-less refs by acronym letters
    match_count: dict[int, int] = {}
    for i, ref in enumerate(distinct):
        if ref.name:
            continue
        found = named_matches(i)
        match_count[i] = len(found)
        matches = {forest.find(j) for j in found}
        letters = normalize_acronym(ref.acronym) if ref.acronym else ""
        if len(matches) == 1:
            forest.union(i, matches.pop())
        else:
            for j in earlier.get(letters, []) if letters else []:
                if agree(i, j) and match_count[j] != 1:
                    forest.union(i, j)
        if letters:
            earlier[letters].append(i)
