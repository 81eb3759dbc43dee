"""The group keys: files compact Members under keys, so GROUP rules never compare all pairs.

`members_for` is pure and runs beside extraction (in worker processes with --jobs); the
`GroupIndex` (`rules.group_index`, re-exported here) collects its output in the main process,
in memory or, for a large dump, in partition files on disk.

Keys by kind:
- CITATION: the normalized cited identifier ('arxiv:2604.01234'); one member per claim citing it
  (a claim sharing its citations or its item's Source lines with an earlier one: none for those,
  `claims.sharing`), plus one for a Sources entry no claim of that capsule is bound to (binding
  LISTED).
- METHOD: `identifiers.methods.method_block` (the first two characters that open the name's
  parts, read off the acronym or the name), so "RGO", "Recursive Gradient Optimization" and
  "Recursive Gradient Optimization (RGO)" meet in 'rg', and "LoRA" and "Low-Rank Adaptation" in
  'lr'. A blocking key only: unrelated methods sharing it meet too, and CA403/CA404 split them
  with `same_method` and report each under its canonical `method_key`.
- ACRONYM: upper-case acronym (`acronym_key`). One member per claim and citation for both.
- TITLE: `title_key(name)`: the folded title with dates and numbers masked. CAPSULE_ID: the @id, with `content_digest` set.
- TEXT_LENGTH: `len(text)`; `text_sample` holds the last characters (is the text cut?).
- TEXT_BLOCK: min-hash band keys of the text's word set; `packed_sample` holds the normalized
  start of the text (`SAMPLE_CHARS`) that CA103 compares with rapidfuzz, compressed.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterator
from hashlib import sha256

from capsule_audit.claims.sharing import citation_owners, source_owners
from capsule_audit.identifiers.methods import method_block
from capsule_audit.models.claims import MethodRef
from capsule_audit.models.records import CapsuleRecord, RecordKind
from capsule_audit.rules.base import GroupKind, Member, Subject
from capsule_audit.rules.samples import pack_sample
from capsule_audit.rules.spans import astral_offsets
from capsule_audit.store.groups import GroupIndex

SAMPLE_CHARS = 1000
"""Normalized characters of text kept per capsule for near-duplicate comparison."""
TAIL_CHARS = 40
BANDS = 3
ROWS = 2

_NON_WORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"\w{3,}")

Entry = tuple[GroupKind, str, Member]


def fold(text: str) -> str:
    """NFKC, case-folded, punctuation to spaces, whitespace collapsed: the form keys compare in."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
# 'April 12, 2026', '12 April 2026', 'April 2026', '2026-04-12', '3.5', '40%': what a title's
# snapshots and versions change. A month name only counts next to a number ('May' is a word).
_DATE_OR_NUMBER = re.compile(
    rf"(?<![\w.])(?:{_MONTH}\s+{_ORDINAL}(?:,?\s+\d{{4}})?|{_ORDINAL}\s+{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|{_MONTH},?\s+\d{{4}}|\d+(?:[.,:/-]\d+)*(?:st|nd|rd|th|%)?)(?!\w)"
)


def title_key(name: str) -> str:
    """Titles equal after folding case, punctuation, quotes and spacing, dates and numbers masked.

    'As of April 12, 2026, several …' and 'As of April 17, 2026, several …' share a key: CA104
    tells exact copies from titles that differ only in what was masked (`masked_parts`).
    """
    return fold(_DATE_OR_NUMBER.sub("0", name))


def masked_parts(name: str) -> tuple[str, ...]:
    """The dates and numbers `title_key` masks in a title, as written: ('April 12, 2026',)."""
    return tuple(match.group(0) for match in _DATE_OR_NUMBER.finditer(name))


def acronym_key(acronym: str) -> str:
    """'ATD-CF', 'atd cf' -> 'ATD-CF'."""
    return "-".join(fold(acronym).upper().split())


def _method_key(ref: MethodRef) -> str | None:
    return method_block(ref.name, ref.acronym)


def _acronym_key(ref: MethodRef) -> str | None:
    return acronym_key(ref.acronym) if ref.acronym else None


def content_digest(record: CapsuleRecord) -> str:
    """SHA-256 of the record's content without its source: equal for equal capsules in any form."""
    # pydantic's own serializer: fields in model order, fast; the source is where, not what.
    return sha256(record.model_dump_json(exclude={"source"}).encode("utf-8")).hexdigest()


def text_sample(text: str) -> str:
    """The start of the text, lower-cased with whitespace collapsed, for rapidfuzz."""
    # `str.split()` splits on exactly the characters `\s` matches (both use Py_UNICODE_ISSPACE),
    # so this is `re.sub(r"\s+", " ", ...).strip()`, four times faster.
    return " ".join(text[: SAMPLE_CHARS * 2].casefold().split())[:SAMPLE_CHARS]


def block_keys(sample: str, *, bands: int = BANDS, rows: int = ROWS) -> tuple[str, ...]:
    """Locality-sensitive keys: near-identical texts share one with high probability.

    One-permutation min-hash over the distinct words (CRC-32, deterministic across processes):
    the word hashes fall into `bands * rows` bins and each band joins `rows` bin minima. Two texts
    whose word sets have Jaccard similarity J share a given band with probability about J**rows.
    """
    bins = bands * rows
    minima: list[int | None] = [None] * bins
    missing = bins
    # Within one bin `h // bins` orders as `h` does, so in ascending hash order the first hash
    # of each bin is its minimum: one C-level sort, and the loop stops once every bin is filled.
    for h in sorted(set(map(zlib.crc32, map(str.encode, set(_WORD.findall(sample)))))):
        slot = h % bins
        if minima[slot] is None:
            minima[slot] = h // bins
            missing -= 1
            if not missing:
                break
    return tuple(
        f"{band}:"
        + ".".join("-" if m is None else format(m, "x") for m in minima[band * rows : (band + 1) * rows])
        for band in range(bands)
    )


def members_for(subject: Subject, kinds: frozenset[GroupKind]) -> Iterator[Entry]:
    """Every (kind, key, member) entry one subject contributes to the index."""
    record, extracted = subject.record, subject.extracted
    capsule, source = record.id, record.source
    astral = astral_offsets(record.text)  # () for nearly every text: members share it
    if GroupKind.CITATION in kinds:
        bound: set[str] = set()
        claims = extracted.claims
        owners, source_holders = citation_owners(claims), source_owners(claims)
        for claim, owner, holder in zip(claims, owners, source_holders, strict=True):
            # An earlier claim stands for this one's citations or item sources (`claims.sharing`).
            own = claim.citations if owner is None else ()
            for citation in own:
                bound.add(citation.key)
                yield (
                    GroupKind.CITATION,
                    citation.key,
                    Member(capsule, source, claim=claim, citation=citation, astral=astral),
                )
            if holder is not None or not claim.item_sources:
                continue
            keys = {c.key for c in claim.citations}  # its own citation of a key is the one filed
            for citation in claim.item_sources:
                if citation.key not in keys:
                    bound.add(citation.key)
                    yield (
                        GroupKind.CITATION,
                        citation.key,
                        Member(capsule, source, claim=claim, citation=citation, astral=astral),
                    )
        for entry in extracted.sources:
            if entry.citation is not None and entry.citation.key not in bound:
                bound.add(entry.citation.key)
                yield (
                    GroupKind.CITATION,
                    entry.citation.key,
                    Member(capsule, source, citation=entry.citation, astral=astral),
                )
    for kind, keyer in ((GroupKind.METHOD, _method_key), (GroupKind.ACRONYM, _acronym_key)):
        if kind not in kinds:
            continue
        for claim in extracted.claims:
            key = None if claim.method is None else keyer(claim.method)
            if not key:
                continue
            # One member per claim: the METHOD and ACRONYM rules read the claim (its method and
            # its citations), never the member's citation; one per citation multiplied a method
            # item's claims by the item's citations (issue 14).
            yield kind, key, Member(capsule, source, claim=claim, astral=astral)
    yield from _record_members(record, kinds)


def _record_members(record: CapsuleRecord, kinds: frozenset[GroupKind]) -> Iterator[Entry]:
    capsule, source = record.id, record.source
    digest = content_digest(record) if kinds & {GroupKind.CAPSULE_ID, GroupKind.TITLE} else ""
    if GroupKind.CAPSULE_ID in kinds:
        yield GroupKind.CAPSULE_ID, capsule, Member(capsule, source, name=record.name, content_digest=digest)
    title = title_key(record.name) if GroupKind.TITLE in kinds and record.name else ""
    if title:
        member = Member(
            capsule, source, name=record.name, date_created=record.date_created, content_digest=digest
        )
        yield GroupKind.TITLE, title, member
    if record.kind is not RecordKind.CAPSULE or not record.text:
        return
    if GroupKind.TEXT_LENGTH in kinds:
        tail = Member(capsule, source, text_sample=record.text[-TAIL_CHARS:])
        yield GroupKind.TEXT_LENGTH, str(len(record.text)), tail
    if GroupKind.TEXT_BLOCK in kinds:
        sample = text_sample(record.text)
        member = Member(capsule, source, packed_sample=pack_sample(sample))  # one object, every band
        for key in block_keys(sample):
            yield GroupKind.TEXT_BLOCK, key, member


__all__ = [
    "Entry",
    "GroupIndex",
    "acronym_key",
    "block_keys",
    "content_digest",
    "fold",
    "masked_parts",
    "members_for",
    "text_sample",
    "title_key",
]
