"""How citations are bound to claims: explicit, positional, or only listed.

- explicit: the sentence, or the method item it belongs to, carries the link or `Source:` line;
- positional: no method item of the capsule has an explicit source, so the n-th Sources entry
  goes with the n-th method (every seed with both follows method order), at lower confidence;
- listed: a Sources entry bound to no claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from capsule_audit.claims.construct import make, method_ref, replace, span
from capsule_audit.claims.drafts import ClaimDraft, MethodDraft
from capsule_audit.claims.mentions import TermIndex
from capsule_audit.claims.named_methods import named_methods
from capsule_audit.models.claims import Binding, Citation, Claim, SourceEntry

POSITIONAL_CONFIDENCE = 0.5


class SourceDraft(NamedTuple):
    """A Sources line, parsed; it becomes a `SourceEntry` once its binding is known, so that the
    entry is built once instead of built and then copied with its citation rebound."""

    position: int
    raw: str
    start: int
    end: int
    citation: Citation | None
    truncated: bool


def bind_positional(methods: Sequence[MethodDraft], sources: Sequence[SourceDraft]) -> None:
    """Give each method the Sources entry at its position when no method has an explicit source."""
    if not methods or not sources or any(method.citations for method in methods):
        return
    for method, entry in zip(methods, sources, strict=False):
        if entry.citation is not None:
            positional = replace(entry.citation, binding=Binding.POSITIONAL, confidence=POSITIONAL_CONFIDENCE)
            method.citations = {positional.key: positional}
            method.stated = {positional.key: positional}  # no item's sentence cites: this is all


def resolve_mentions(drafts: Iterable[ClaimDraft], methods: Sequence[MethodDraft]) -> None:
    """A sentence outside any method item is about the one method item it names by acronym;
    failing that, about a 'Name (ACR)' it introduces itself."""
    by_acronym: dict[str, list[MethodDraft]] = {}
    for method in methods:
        if method.acronym:
            by_acronym.setdefault(method.acronym, []).append(method)
    acronyms = TermIndex(by_acronym)  # one pass per sentence, however many methods
    for draft in drafts:
        if draft.method is not None:
            continue
        hits: dict[int, MethodDraft] = {}
        for acronym in acronyms.first_positions(draft.text):
            for method in by_acronym[acronym][:2]:  # two are enough to say "not one"
                hits[id(method)] = method
            if len(hits) > 1:
                break
        if len(hits) == 1:
            (method,) = hits.values()
            draft.method = method
            continue
        own = named_methods(draft.text)
        if own:
            _, name, acronym = own[0]
            draft.mention = method_ref(name, acronym)


def bind_sources(
    sources: Sequence[SourceDraft], claims: Sequence[Claim], methods: Sequence[MethodDraft]
) -> list[SourceEntry]:
    """Sources entries with their citation marked by how it ended up bound."""
    bound: dict[str, Binding] = {}
    done: set[int] = set()  # a method item's claims share tuples: reading one again binds nothing new
    for claim in claims:
        for shared in (claim.citations, claim.item_sources):
            if id(shared) in done:
                continue
            done.add(id(shared))
            for citation in shared:
                if bound.get(citation.key) is not Binding.EXPLICIT:
                    bound[citation.key] = citation.binding
    for method in methods:  # a method item without sentences still binds its sources
        for citation in method.citations.values():
            bound.setdefault(citation.key, citation.binding)
    result: list[SourceEntry] = []
    for entry in sources:
        cited = entry.citation
        if cited is not None:
            binding = bound.get(cited.key, Binding.LISTED)
            confidence = POSITIONAL_CONFIDENCE if binding is Binding.POSITIONAL else 1.0
            if binding is not cited.binding or confidence != cited.confidence:
                cited = replace(cited, binding=binding, confidence=confidence)
        values = {
            "index": entry.position,
            "raw": entry.raw,
            "span": span(entry.start, entry.end),
            "citation": cited,
            "truncated": entry.truncated,
        }
        result.append(make(SourceEntry, values))
    return result
