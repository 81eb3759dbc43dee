"""Extraction from a plain-text digest page: headings, paragraphs, '•' bullets, quoted titles.

A digest credits papers by quoted title, systems by name (EDOO, PsychAdapter, Mozi, RIVER),
and people by handle or name; it states its source count ('Sources (29)') and its date
('Updated Mar 9, 2026').
"""

from __future__ import annotations

import re

from capsule_audit.claims.citations import find_citations, title_key
from capsule_audit.claims.dates import updated_date
from capsule_audit.claims.drafts import ClaimDraft, ClaimIds, MethodDraft, finish
from capsule_audit.claims.entities import find_institutions, find_people, is_acronym
from capsule_audit.claims.figures import find_figures
from capsule_audit.claims.markup import clean_markup, is_statement
from capsule_audit.claims.mentions import TermIndex
from capsule_audit.claims.named_methods import named_methods
from capsule_audit.claims.sentences import split_sentences
from capsule_audit.models.claims import Citation, ExtractedCapsule, Span
from capsule_audit.models.records import CapsuleRecord

_BULLET = re.compile(r"[ \t]*[•·▪◦‣●\-*][ \t]+")
_BULLET_LEAD = re.compile(r"(?P<name>[^:—–\n]{1,60}?)\s*:\s")
_TITLE_DASH = re.compile(r"\s+[—–]\s+")
_CUE = re.compile(
    r"\b(?:like|such as|notably|called|dubbed|named|including)\s+(?P<name>[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)"
)
_CUE_STOP = frozenset({"The", "A", "An", "Prof", "Dr", "This", "These", "In", "It"})
_SOURCE_COUNT = re.compile(r"^[^\S\n]*Sources\s*\((?P<count>\d{1,9})\)\s*$", re.MULTILINE)
_META_LINE = re.compile(r"\s*(?:Sources\s*\(\d+\)|(?:Last\s+)?[Uu]pdated:?\s.*)\s*$")
# Patterns used with match(text, pos, endpos) carry no '^': it would only match at position 0.
_TERMINAL = (".", "!", "?", ":", ";", ",", "…", '"', "”")


def source_count_span(text: str) -> Span | None:
    """Where the page states its source count: the 'Sources (29)' line, stripped."""
    found = _SOURCE_COUNT.search(text)
    if found is None:
        return None
    line = found.group()
    start = found.start() + len(line) - len(line.lstrip())
    return Span(start=start, end=found.start() + len(line.rstrip()))


def _lines(text: str) -> list[tuple[int, int]]:
    """Character ranges of every line, blank ones included (as empty ranges)."""
    ranges: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        ranges.append((position, position + len(line.rstrip())))
        position += len(line) + 1
    return ranges


def _systems(text: str) -> list[MethodDraft]:
    """Named systems of the page, first mention first: 'Name (ACR)', 'like X', bullet leads."""
    found: dict[str, MethodDraft] = {}
    hits: list[tuple[int, int, str, str | None]] = []
    for position, expansion, short in named_methods(text):
        hits.append((position, position + len(expansion), expansion, short))
    for match in _CUE.finditer(text):
        if match.group("name") not in _CUE_STOP:
            hits.append((match.start("name"), match.end("name"), match.group("name"), None))
    for start, end in _lines(text):
        bullet = _BULLET.match(text, start, end) if end > start else None
        lead = _BULLET_LEAD.match(text, bullet.end(), end) if bullet else None
        if lead:
            name = lead.group("name").strip()
            hits.append((lead.start("name"), lead.start("name") + len(name), name, None))
    # At one position, 'NeST (Neuron-State Interpretation)' beats the bare cue 'such as NeST'.
    for start, end, name, written in sorted(hits, key=lambda hit: (hit[0], hit[3] is None, hit[1])):
        acronym = (
            written if written is not None or not is_acronym(name) else name
        )  # a one-word system name written like an acronym: 'RIVER', 'PsychAdapter'
        key = acronym or name
        if key not in found:
            found[key] = MethodDraft(None, name, acronym, start, end, has_body=True)
    return list(found.values())


class _SystemIndex:
    """The page's systems and their acronyms and names in one `TermIndex`."""

    def __init__(self, systems: list[MethodDraft]) -> None:
        self.systems = systems
        self.terms = TermIndex()
        self.by_acronym: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        for number, system in enumerate(systems):
            if system.acronym:
                self.by_acronym.setdefault(system.acronym, number)  # acronyms are keys: distinct
                self.terms.add(system.acronym)
            self.by_name.setdefault(system.name, []).append(number)
            self.terms.add(system.name)


def _method_of(sentence: str, index: _SystemIndex) -> MethodDraft | None:
    """The system a sentence names first (by its acronym when mentioned, else by name); the
    earlier system on a tie."""
    found = index.terms.first_positions(sentence)
    best: tuple[int, int] | None = None
    for term, position in found.items():
        candidates: list[int] = []
        if (number := index.by_acronym.get(term)) is not None:
            candidates.append(number)
        for number in index.by_name.get(term, ()):
            acronym = index.systems[number].acronym
            if not acronym or acronym not in found:  # a mentioned acronym places it instead
                candidates.append(number)
                break  # listed in page order: the first is the one a tie would pick
        for number in candidates:
            if best is None or (position, number) < best:
                best = (position, number)
    return index.systems[best[1]] if best else None


def _draft(text: str, start: int, end: int, section: str) -> ClaimDraft | None:
    raw = text[start:end]
    cleaned = clean_markup(raw)
    if not is_statement(cleaned):
        return None
    return ClaimDraft(
        section=section,
        implication=False,
        start=start,
        end=end,
        text=cleaned,
        mention=None,
        institutions=find_institutions(cleaned),
        authors=find_people(raw),
        figures=find_figures(raw, start),
        citations=find_citations(raw, start),
    )


def _bullet_title(text: str, start: int, end: int) -> Citation | None:
    """'Mario: Multimodal Graph Reasoning with LLMs — This approach ...': the paper title."""
    dash = _TITLE_DASH.search(text, start, end)
    if dash is None or dash.start() - start < 8:
        return None
    title = text[start : dash.start()].strip()
    return Citation(
        scheme="title", key=title_key(title), raw=title, span=Span(start=start, end=start + len(title))
    )


def extract_digest(record: CapsuleRecord) -> ExtractedCapsule:
    """Claims of a digest page: one per sentence of each paragraph and bullet."""
    text = record.text
    systems = _systems(text)
    index = _SystemIndex(systems)
    drafts: list[ClaimDraft] = []
    sections: list[str] = []
    section = ""
    lines = _lines(text)
    paragraph: list[tuple[int, int]] = []
    for start, end in [*lines, (len(text), len(text))]:  # a final blank flushes the last paragraph
        if end > start and not _META_LINE.match(text, start, end):
            bullet = _BULLET.match(text, start, end)
            if bullet is None:
                paragraph.append((start, end))
                continue
            _flush(text, paragraph, section, index, drafts, sections)
            paragraph = []
            body = bullet.end()
            title = _bullet_title(text, body, end)
            system = _method_of(text[body:end], index)
            for first, last in split_sentences(text, body, end):
                draft = _draft(text, first, last, section)
                if draft is not None:
                    draft.method = system
                    draft.citations = [*([title] if title else []), *draft.citations]
                    drafts.append(draft)
            continue
        section = _flush(text, paragraph, section, index, drafts, sections) or section
        paragraph = []
    ids = ClaimIds()
    counted = _SOURCE_COUNT.search(text)
    return ExtractedCapsule(
        capsule=record.id,
        claims=tuple(finish(record.id, draft, ids, text) for draft in drafts),
        methods=tuple(system.item() for system in systems),
        as_of=updated_date(text),
        name_as_of=None,
        stated_source_count=int(counted.group("count")) if counted else None,
        sections=tuple(sections),
    )


def _flush(
    text: str,
    paragraph: list[tuple[int, int]],
    section: str,
    index: _SystemIndex,
    drafts: list[ClaimDraft],
    sections: list[str],
) -> str | None:
    """Turn a finished paragraph into claims; a lone short line without end punctuation is a
    heading, returned as the new section."""
    if not paragraph:
        return None
    start, end = paragraph[0][0], paragraph[-1][1]
    line = text[start:end]
    if len(paragraph) == 1 and len(line) <= 150 and not line.endswith(_TERMINAL):
        heading = " ".join(line.split())
        sections.append(heading)
        return heading
    for first, last in split_sentences(text, start, end):
        draft = _draft(text, first, last, section)
        if draft is not None:
            draft.method = _method_of(draft.text, index)
            drafts.append(draft)
    return None
