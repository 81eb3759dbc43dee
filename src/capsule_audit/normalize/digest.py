"""Digest pages: a plain-text or Markdown page becomes a record of kind `digest`.

- id: `urn:capsule-audit:digest:<first 16 hex of sha256 of the UTF-8 text>` (content-derived, so
  the same page gives the same id wherever it is found).
- text: the page as given.
- name: a level-1 Markdown heading (`# Title`) when there is one; otherwise the last heading-like
  line (short, not a sentence) before the first body paragraph. Digest pages open with site chrome
  (site name, tagline, section name) and the article title stands right above the first paragraph,
  so the title is the nearest heading-like line above the body.
- date_modified: the stated `Updated <date>` ('Updated Mar 9, 2026', 'Updated 9 March 2026',
  'Updated 2026-03-09'), as UTC midnight.
An empty (or whitespace-only) page is not a digest: CA002.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from capsule_audit.loading.documents import TextDocument
from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord, RecordKind
from capsule_audit.normalize.findings import not_capsule, text_identity

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_UPDATED = re.compile(
    r"^[^\S\n]*(?:last\s+)?updated(?:\s+on)?:?\s+(?:"
    r"(?P<mon1>[A-Za-z]+)\.?\s+(?P<day1>\d{1,2}),?\s+(?P<year1>\d{4})"
    r"|(?P<day2>\d{1,2})\s+(?P<mon2>[A-Za-z]+)\.?,?\s+(?P<year2>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))\b",
    re.IGNORECASE | re.MULTILINE,
)
_HEADING_MAX = 160  # characters: longer lines are paragraphs
_SENTENCE_END = (".", "!", "?", ":", ";")


def digest_id(text: str) -> str:
    """The content-derived IRI of a digest page."""
    return "urn:capsule-audit:digest:" + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]


def _is_body(line: str) -> bool:
    return len(line) > _HEADING_MAX or (line.endswith(_SENTENCE_END) and len(line.split()) > 8)


def page_title(text: str) -> str | None:
    """The page's title line (see the module docstring for the heuristic)."""
    lines = [line.strip() for line in text.splitlines()]
    for line in lines:
        if line.startswith("# ") and line[2:].strip():
            return line[2:].strip()
    heading: str | None = None
    for line in lines:
        if not line:
            continue
        if _is_body(line):
            return heading or line[:_HEADING_MAX]
        heading = line.lstrip("#").strip() or heading
    first = next((line for line in lines if line), None)
    return first[:_HEADING_MAX] if first else None


def stated_update(text: str) -> datetime | None:
    """The 'Updated <date>' the page states, UTC midnight; None when absent or not a real date."""
    for match in _UPDATED.finditer(text):
        try:
            if match["iso"]:
                stated = datetime.fromisoformat(match["iso"])
            else:
                month = _MONTHS.get((match["mon1"] or match["mon2"]).lower())
                if month is None:
                    continue
                day = int(match["day1"] or match["day2"])
                stated = datetime(int(match["year1"] or match["year2"]), month, day)
        except ValueError:
            continue
        return stated.replace(tzinfo=UTC)
    return None


def digest_record(doc: TextDocument) -> CapsuleRecord | Finding:
    """The digest record of a text page, or CA002 when the page is empty."""
    if not doc.text.strip():
        return not_capsule(doc.source, "empty text page", identity=text_identity(doc.text))
    return CapsuleRecord(
        id=digest_id(doc.text),
        kind=RecordKind.DIGEST,
        name=page_title(doc.text),
        text=doc.text,
        date_modified=stated_update(doc.text),
        source=doc.source,
    )
