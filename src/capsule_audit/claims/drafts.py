"""Claims and methods while they are being built, and how a draft becomes a `Claim`."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from capsule_audit.claims.citations import merge_citations
from capsule_audit.claims.construct import make, method_ref, span
from capsule_audit.models.claims import Citation, Claim, Figure, MethodItem, MethodRef, Span

_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")  # what `strip_links` does
_AUTOLINK = re.compile(r"<((?:https?://|www\.)[^>\s]+)>")  # what `strip_autolinks` does
_AUTOLINK_SCHEME = re.compile(r"https?://|www\.")
_AUTOLINK_STOP = re.compile(r"[>\s]")
_EMPHASIS = re.compile(r"(?<![\w*_])[*_]{1,3}|[*_]{1,3}(?![\w*_])|`+")
_MARKUP_EDGE = "*_` "


@dataclass(slots=True)
class MethodDraft:
    """A numbered method header and what its item says: body, citations, institutions."""

    ordinal: int | None
    name: str
    acronym: str | None
    start: int
    end: int
    has_body: bool = False
    citations: dict[str, Citation] = field(default_factory=dict)
    """Every citation of the item, its sentences' and its own, by key (`add_citations`)."""
    stated: dict[str, Citation] = field(default_factory=dict)
    """The citations the item states for itself ('Source:' lines, a positional Sources entry)."""
    institutions: dict[str, None] = field(default_factory=dict)
    # Built once when the first claim is finished (the walk is over by then): every claim of the
    # item shares these immutable values instead of rebuilding them.
    _ref: MethodRef | None = None
    _citations: tuple[Citation, ...] | None = None
    _stated: tuple[Citation, ...] | None = None

    def ref(self) -> MethodRef:
        if self._ref is None:
            self._ref = method_ref(self.name, self.acronym)
        return self._ref

    def final_citations(self) -> tuple[Citation, ...]:
        """The item's citations once the walk is over (already one per key)."""
        if self._citations is None:
            self._citations = tuple(self.citations.values())
        return self._citations

    def final_stated(self) -> tuple[Citation, ...]:
        """The item's own citations (`stated`) once the walk is over: the `item_sources` its
        claims citing their own sources share, one tuple for them all."""
        if self._stated is None:
            self._stated = tuple(self.stated.values())
        return self._stated

    def item(self) -> MethodItem:
        return make(
            MethodItem,
            {
                "ordinal": self.ordinal,
                "name": self.name,
                "acronym": self.acronym,
                "span": span(self.start, self.end),
                "has_body": self.has_body,
            },
        )


@dataclass(slots=True)
class ClaimDraft:
    """One sentence on its way to becoming a claim."""

    section: str
    implication: bool
    start: int
    end: int
    text: str
    """Cleaned: no Markdown, single-spaced (`clean_markup`)."""
    method: MethodDraft | None = None
    mention: MethodRef | None = None
    institutions: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    citations: list[Citation] = field(default_factory=list)


def clean_markup(raw: str) -> str:
    """Sentence text without Markdown: links become their text, emphasis marks go, spaces collapse."""
    if "[" in raw:
        raw = strip_links(raw)
    if "<" in raw:
        raw = strip_autolinks(raw)
    if "*" in raw or "_" in raw or "`" in raw:
        raw = _EMPHASIS.sub("", raw)
    return " ".join(raw.split())


def strip_links(raw: str) -> str:
    """`_LINK.sub(r"\\1", raw)`: '[text](url)' and '![alt](url)' become their text, in linear time.

    The regex tries every '[' and scans to the line's next ']' from each: a run of N '[' costs
    N**2/2. Every '[' before one ']' meets that same ']', so one failure rules them all out.
    """
    out: list[str] = []
    kept = 0  # raw[:kept] is in `out`
    position = 0
    while (opening := raw.find("[", position)) >= 0:
        closing = _first_of(raw, "]", opening + 1)
        if closing < 0:
            break  # no ']' left: no later '[' can close either
        if raw[closing] == "\n" or raw[closing + 1 : closing + 2] != "(":
            position = closing + 1  # every '[' before it fails at this ']' (or line end) too
            continue
        end = _first_of(raw, ")", closing + 2)
        if end < 0:
            break  # no ')' left: no later link can end either
        if raw[end] == "\n":
            position = end + 1
            continue
        start = opening - 1 if opening > kept and raw[opening - 1] == "!" else opening
        out += (raw[kept:start], raw[opening + 1 : closing])
        kept = position = end + 1
    return "".join(out) + raw[kept:] if out else raw


def strip_autolinks(raw: str) -> str:
    """`_AUTOLINK.sub(r"\\1", raw)`: '<https://x.org>' becomes 'https://x.org', in linear time.

    The regex scans from every '<http' to the next '>' or space; a failure there rules out every
    '<' before that stop, so the scan resumes after it.
    """
    out: list[str] = []
    kept = 0
    position = 0
    while (opening := raw.find("<", position)) >= 0:
        scheme = _AUTOLINK_SCHEME.match(raw, opening + 1)
        if scheme is None:
            position = opening + 1
            continue
        stop = _AUTOLINK_STOP.search(raw, scheme.end())
        if stop is None:
            break  # the address runs to the end: no later '<' can close either
        if raw[stop.start()] != ">" or stop.start() == scheme.end():
            position = stop.start() + (raw[stop.start()] != ">")
            continue
        out += (raw[kept:opening], raw[opening + 1 : stop.start()])
        kept = position = stop.start() + 1
    return "".join(out) + raw[kept:] if out else raw


def _first_of(raw: str, char: str, start: int) -> int:
    """Position of the first `char` or line break at or after `start`, or -1."""
    found = raw.find(char, start)
    line_end = raw.find("\n", start, found if found >= 0 else len(raw))
    return line_end if line_end >= 0 else found


def trim_markup(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past stray emphasis marks and spaces at either end."""
    if start >= end:
        return start, end
    piece = text[start:end]
    kept = piece.lstrip(_MARKUP_EDGE)  # str methods: a char-by-char loop costs several times more
    start += len(piece) - len(kept)
    return start, start + len(kept.rstrip(_MARKUP_EDGE))


def is_statement(text: str) -> bool:
    """Whether a cleaned sentence states something (not a lead-in like 'Key developments include:')."""
    if not text[:1].isalpha() and not any(char.isalpha() for char in text):  # most start with one
        return False
    return not (text.endswith(":") and len(text.split()) < 5)


@dataclass(slots=True)
class ClaimIds:
    """The claim ids one capsule has given out, and per repeated text the next counter to try."""

    taken: set[str] = field(default_factory=set)
    next_attempt: dict[str, int] = field(default_factory=dict)


def claim_id(capsule: str, text: str, ids: ClaimIds, *, single_spaced: bool = False) -> str:
    """Stable id: a hash of the capsule id and the normalized text; repeats get a counter.

    `single_spaced` says `text` is already `" ".join(text.split())` (a draft's cleaned text),
    so that lower-casing alone normalizes it: lower-casing never makes whitespace.
    The k-th repeat of a text starts at the counter the previous one stopped at (every smaller
    counter is taken), so N repeats cost N hashes, not N**2/2; the ids are the same.
    """
    lowered = text.lower()
    normalized = (lowered if single_spaced else " ".join(lowered.split())).rstrip(".!?;: ")
    material = f"{capsule}\x1f{normalized}"
    candidate = hashlib.sha256(material.encode()).hexdigest()[:16]
    taken = ids.taken
    if candidate not in taken:  # nearly always: the loop below is for repeated sentences
        taken.add(candidate)
        return candidate
    for attempt in range(ids.next_attempt.get(material, 1), 1_000_000):
        digest = hashlib.sha256(f"{material}\x1f{attempt}".encode()).hexdigest()
        candidate = digest[:16]
        if candidate not in taken:
            taken.add(candidate)
            ids.next_attempt[material] = attempt + 1
            return candidate
    raise AssertionError("unreachable: hash space exhausted")  # pragma: no cover


def finish(capsule: str, draft: ClaimDraft, ids: ClaimIds, record_text: str) -> Claim:
    """The claim a draft stands for, its citations merged one per key (its own first); a claim
    of a method item citing its own sources shares the item's Source lines (`item_sources`)."""
    method = draft.method
    citations: tuple[Citation, ...] = ()
    item_sources: tuple[Citation, ...] = ()
    if method is not None:
        ref: MethodRef | None = method.ref()
        citations = merge_citations(draft.citations, method.stated, method.final_citations())
        if draft.citations:  # one inheriting the item's every citation holds its Source lines too
            item_sources = method.final_stated()
        institutions = (
            tuple(sorted({**dict.fromkeys(draft.institutions), **method.institutions}))
            if method.institutions
            else tuple(sorted(set(draft.institutions)))
        )
    else:
        ref = draft.mention
        citations = merge_citations(draft.citations, {}, ())
        institutions = tuple(sorted(set(draft.institutions))) if draft.institutions else ()
    text = draft.text
    start, end = draft.start, draft.end
    written = record_text[start:end]
    raw = None if text == written else written
    return make(
        Claim,
        {
            "id": claim_id(capsule, text, ids, single_spaced=True),
            "capsule": capsule,
            "section": draft.section,
            "implication": draft.implication,
            "text": text,
            "span": make(Span, {"start": start, "end": end}) if start >= 0 and end >= 0 else span(start, end),
            "cleaned": raw is not None,
            "raw": raw,
            "method": ref,
            "institutions": institutions,
            "authors": draft.authors,
            "figures": draft.figures,
            "citations": citations,
            "item_sources": item_sources,
        },
    )
