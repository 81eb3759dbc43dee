"""The data contracts shared by every stage: records, claims, findings, report."""

from capsule_audit.models.claims import (
    Binding,
    Citation,
    Claim,
    ExtractedCapsule,
    Figure,
    MethodItem,
    MethodRef,
    SourceEntry,
    Span,
)
from capsule_audit.models.findings import Evidence, Finding, Location, Severity
from capsule_audit.models.records import (
    CapsuleProperties,
    CapsuleRecord,
    RecordKind,
    SourceRef,
    Thing,
    TrustTier,
)

__all__ = [
    "Binding",
    "CapsuleProperties",
    "CapsuleRecord",
    "Citation",
    "Claim",
    "Evidence",
    "ExtractedCapsule",
    "Figure",
    "Finding",
    "Location",
    "MethodItem",
    "MethodRef",
    "RecordKind",
    "Severity",
    "SourceEntry",
    "SourceRef",
    "Span",
    "Thing",
    "TrustTier",
]
