"""`extract(record)`: the claims, methods and sources of one record, whatever its text."""

from __future__ import annotations

from capsule_audit.claims.capsule import extract_capsule
from capsule_audit.claims.digest import extract_digest
from capsule_audit.models.claims import ExtractedCapsule
from capsule_audit.models.records import CapsuleRecord, RecordKind


def extract(record: CapsuleRecord) -> ExtractedCapsule:
    """Extract from a capsule (Markdown) or a digest page (plain text). Pure; never raises on text.

    Bad text is data: should a parser still fail on some input nobody foresaw, the record gets an
    empty extraction rather than stopping the audit.
    """
    try:
        if record.kind is RecordKind.DIGEST:
            return extract_digest(record)
        return extract_capsule(record)
    except (ValueError, IndexError, KeyError, TypeError, RecursionError):
        return ExtractedCapsule(capsule=record.id)
