"""What loading yields: one item per document, parsed, or rejected with its finding."""

from __future__ import annotations

from dataclasses import dataclass

from capsule_audit.models.findings import Finding
from capsule_audit.models.records import SourceRef


@dataclass(frozen=True, slots=True)
class JsonDocument:
    """One parsed JSON document: a file's object, an array element, an NDJSON line.

    `value` is the document as parsed (usually a dict). An `{"@context", "@graph"}` wrapper is
    passed whole: normalization needs the top-level context and the linked nodes together.
    """

    source: SourceRef
    value: object


@dataclass(frozen=True, slots=True)
class TextDocument:
    """A plain-text or Markdown page (a digest), decoded."""

    source: SourceRef
    text: str


@dataclass(frozen=True, slots=True)
class RejectedDocument:
    """A document that could not be read or parsed (CA001) or broke a limit (CA005)."""

    source: SourceRef
    finding: Finding


Document = JsonDocument | TextDocument | RejectedDocument
