"""Extraction from a capsule's Markdown: sections, method items, sources, sentence claims."""

from __future__ import annotations

import re

from capsule_audit.claims.binding import SourceDraft, bind_positional, bind_sources, resolve_mentions
from capsule_audit.claims.citations import add_citations, dedupe_citations, find_citations
from capsule_audit.claims.construct import make
from capsule_audit.claims.dates import as_of_date
from capsule_audit.claims.drafts import ClaimDraft, ClaimIds, MethodDraft, finish
from capsule_audit.claims.entities import find_institutions, find_people, parse_method_header
from capsule_audit.claims.figures import find_figures
from capsule_audit.claims.markup import clean_markup, is_statement, trim_markup
from capsule_audit.claims.sections import Leaf, leaf_lines, parse_leaves
from capsule_audit.claims.sentences import split_sentences
from capsule_audit.models.claims import Citation, ExtractedCapsule
from capsule_audit.models.records import CapsuleRecord

_SOURCES_SECTIONS = frozenset({"sources", "source", "references", "bibliography", "citations", "links"})
_IMPLICATION_SECTIONS = frozenset({"implications", "implication"})
_SOURCE_LINE = re.compile(r"^[*_>\s-]*(?:sources?|references?|ref|citation)\s*[*_]*:", re.IGNORECASE)
_HEADING_MARKS = "#*_` \t"


class _State:
    """Where the walk through the leaves is: section, open method, last sentence claims."""

    __slots__ = ("in_implications", "in_sources", "last_claims", "method", "section")

    def __init__(self) -> None:
        self.method: MethodDraft | None = None
        self.last_claims: list[ClaimDraft] = []
        self.enter("")

    def enter(self, section: str) -> None:
        """Open a section; what kind it is is worked out once here, not at every sentence."""
        self.section = section
        self.in_sources = section.lower() in _SOURCES_SECTIONS
        self.in_implications = section.lower() in _IMPLICATION_SECTIONS


def extract_capsule(record: CapsuleRecord) -> ExtractedCapsule:
    """Everything extraction learns from one Markdown capsule."""
    text = record.text
    state = _State()
    sections: list[str] = []
    methods: list[MethodDraft] = []
    drafts: list[ClaimDraft] = []
    sources: list[SourceDraft] = []
    for leaf in parse_leaves(text):
        if leaf.kind == "code":
            continue
        if leaf.kind == "heading":
            # A '### 2. Name (ACR)' heading opens a method item once (not again as a text line).
            if leaf.level > 2 and _method_line(text, leaf, state, methods):
                continue
            state.enter(" ".join(text[leaf.start : leaf.end].strip(_HEADING_MARKS).split()))
            sections.append(state.section)
            if state.in_sources or state.in_implications:
                state.method = None  # method items end where the sources or implications begin
            continue
        if state.in_sources:
            for start, end in leaf_lines(text, leaf):
                sources.append(_source_entry(text, len(sources), start, end))
            continue
        _text_leaf(text, leaf, state, methods, drafts)
    bind_positional(methods, sources)
    resolve_mentions(drafts, methods)
    ids = ClaimIds()
    claims = tuple(finish(record.id, draft, ids, text) for draft in drafts)
    return make(
        ExtractedCapsule,
        {
            "capsule": record.id,
            "claims": claims,
            "methods": tuple(method.item() for method in methods),
            "sources": tuple(bind_sources(sources, claims, methods)),
            "as_of": as_of_date(text),
            "name_as_of": as_of_date(record.name),
            "stated_source_count": None,
            "sections": tuple(sections),
        },
    )


def _method_line(text: str, leaf: Leaf, state: _State, methods: list[MethodDraft]) -> bool:
    """Open a method item if the leaf's line is a numbered method header."""
    header = parse_method_header(text[leaf.start : leaf.end].strip(_HEADING_MARKS), leaf.ordinal)
    if header is None or state.in_sources:
        return False
    start, end = trim_markup(text, leaf.start, leaf.end)
    state.method = MethodDraft(header.ordinal, header.name, header.acronym, start, end)
    methods.append(state.method)
    return True


def _text_leaf(
    text: str, leaf: Leaf, state: _State, methods: list[MethodDraft], drafts: list[ClaimDraft]
) -> None:
    """Method headers, Source lines and sentences of one paragraph or list item."""
    segment: tuple[int, int] | None = None
    leaf_claims: list[ClaimDraft] = []
    for index, (start, end) in enumerate(leaf_lines(text, leaf)):
        line = text[start:end]
        header = parse_method_header(line, leaf.ordinal if index == 0 else None)
        source_line = ":" in line and _SOURCE_LINE.match(line) is not None  # str test: no regex call
        if header is None and not source_line:
            segment = (segment[0], end) if segment else (start, end)
            continue
        if segment:
            leaf_claims += _sentences(text, segment, state)
            segment = None
        if header is not None and not state.in_implications:
            first, last = trim_markup(text, start, end)
            state.method = MethodDraft(header.ordinal, header.name, header.acronym, first, last)
            methods.append(state.method)
        elif source_line:
            _bind_source_line(find_citations(line, start), state, leaf_claims)
    if segment:
        leaf_claims += _sentences(text, segment, state)
    if leaf_claims:
        drafts.extend(leaf_claims)
        state.last_claims = leaf_claims


def _bind_source_line(citations: list[Citation], state: _State, leaf_claims: list[ClaimDraft]) -> None:
    """A 'Source:' line belongs to the open method item, else to the sentences just before it."""
    if not citations:
        return
    if state.method is not None and not state.in_implications:
        add_citations(state.method.citations, citations)
        add_citations(state.method.stated, citations)
        return
    for draft in leaf_claims or state.last_claims:
        draft.citations.extend(citations)


def _sentences(text: str, segment: tuple[int, int], state: _State) -> list[ClaimDraft]:
    """One draft per statement in the segment, with what the sentence itself names."""
    method = None if state.in_implications else state.method
    found: list[ClaimDraft] = []
    for start, end in split_sentences(text, segment[0], segment[1]):
        start, end = trim_markup(text, start, end)
        raw = text[start:end]
        cleaned = clean_markup(raw)
        if not is_statement(cleaned):
            continue
        institutions = find_institutions(cleaned)
        draft = ClaimDraft(
            section=state.section,
            implication=state.in_implications,
            start=start,
            end=end,
            text=cleaned,
            method=method,
            institutions=institutions,
            authors=find_people(cleaned),
            figures=find_figures(raw, start),
            citations=find_citations(raw, start),
        )
        if method is not None:
            method.has_body = True
            method.institutions.update(dict.fromkeys(institutions))
            add_citations(method.citations, draft.citations)
        found.append(draft)
    return found


def _source_entry(text: str, index: int, start: int, end: int) -> SourceDraft:
    """One line of the Sources list, parsed; a cut-off identifier marks the entry truncated."""
    raw = text[start:end]
    citations = dedupe_citations(find_citations(raw, start))
    citation = citations[0] if citations else None
    # An unparseable entry that runs to the very end of the text was cut by the export.
    truncated = citation.truncated if citation else end >= len(text.rstrip())
    return SourceDraft(index, raw, start, end, citation, truncated)
