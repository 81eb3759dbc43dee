"""Claims and methods while they are being built, and how a draft becomes a `Claim`."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from capsule_audit.claims.citations import add_citations
from capsule_audit.claims.construct import make, method_ref, span
from capsule_audit.models.claims import Citation, Claim, Figure, MethodItem, MethodRef, Span


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


def merge_citations(
    own: Sequence[Citation], stated: Mapping[str, Citation], inherited: tuple[Citation, ...]
) -> tuple[Citation, ...]:
    """The citations of a claim, one per key, its own first.

    In a method item, a sentence citing nothing inherits every citation of the item. One citing
    its own sources keeps those, a venue, date or version its item `stated` for the same key
    (its `Source:` lines) filled in; the item's Source lines themselves go with the claim as its
    `item_sources`, one tuple for the whole item: a copy per claim made N*N.
    """
    if not own:
        return inherited
    merged: dict[str, Citation] = {}
    add_citations(merged, own)
    if stated:
        add_citations(merged, [stated[key] for key in merged if key in stated])
    return tuple(merged.values())


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
