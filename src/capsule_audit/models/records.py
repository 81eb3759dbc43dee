"""Typed capsule records: what a JSON-LD capsule or a digest page normalizes into.

Every model is frozen: records are values, compared and hashed by content, so two equivalent
JSON-LD forms of one capsule give equal records.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum, StrEnum
from sys import intern
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from capsule_audit.models.findings import Finding
from capsule_audit.models.unvalidated import build

JsonValue = Any
"""A JSON value kept as given (unknown `additionalProperty` values)."""


class Frozen(BaseModel):
    """Base of every record model: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceRef(Frozen):
    """Where a document came from, precise enough to point an editor at it."""

    path: str = Field(
        description="File path as given on the command line joined with its path inside a directory; '-' for stdin."
    )
    line: int | None = Field(
        default=None, description="1-based line: the NDJSON line, or the line the document starts on."
    )
    index: int | None = Field(
        default=None, description="0-based position in a JSON array, @graph or NDJSON stream."
    )
    pointer: str = Field(
        default="", description="RFC 6901 JSON pointer of the node inside the file ('' is the whole file)."
    )

    @classmethod
    def of_columns(cls, path: str, line: int | None, index: int | None, pointer: str) -> SourceRef:
        """A SourceRef from its columns as the store holds them (validated when filed: not again)."""
        return build(cls, {"path": intern(path), "line": line, "index": index, "pointer": pointer})

    def display(self) -> str:
        """`path:line` or `path#pointer`, for messages."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        if self.pointer:
            where += f"#{self.pointer}"
        return where


class RecordKind(StrEnum):
    """A JSON-LD capsule, or a plain-text digest page."""

    CAPSULE = "capsule"
    DIGEST = "digest"


class TrustTier(IntEnum):
    """Forge trust tiers; a trust level maps down to the highest tier at or below it."""

    QUARANTINE = 0
    SANDBOX = 40
    STANDARD = 60
    TRUSTED = 80
    CORE = 100

    @classmethod
    def for_level(cls, level: int) -> TrustTier:
        """The highest tier whose floor is at or below `level` (0-100)."""
        return max(tier for tier in cls if tier.value <= level)


class Thing(Frozen):
    """A linked node (about, citation, isPartOf, publisher), reduced to what capsules use."""

    type: str | None = Field(default=None, description="schema.org type name, e.g. 'Thing', 'Dataset'.")
    id: str | None = Field(default=None, description="@id IRI when the node has one (blank nodes: None).")
    name: str | None = None
    url: str | None = None


class CapsuleProperties(Frozen):
    """The `additionalProperty` PropertyValues, typed where their meaning is known."""

    trust_level: int | None = Field(default=None, ge=0, le=100)
    verification_status: str | None = None
    provenance_status: str | None = None
    evidence_level: str | None = None
    content_hash: str | None = Field(default=None, description="As given; CA502 checks its form and value.")
    extra: dict[str, JsonValue] = Field(
        default_factory=dict, description="Every unknown property, name to value, kept as given."
    )

    trust_tier: Literal["quarantine", "sandbox", "standard", "trusted", "core"] | None = Field(
        default=None,
        description="The tier `trust_level` maps down to (derived; any given value is replaced).",
    )

    @model_validator(mode="before")
    @classmethod
    def _derive_tier(cls, data: Any) -> Any:
        # Derived, yet a plain field (not a computed one) so that a dumped record validates again.
        if isinstance(data, dict):
            level = data.get("trust_level")
            tier = (
                TrustTier.for_level(level).name.lower()
                if isinstance(level, int) and 0 <= level <= 100
                else None
            )
            data = {**data, "trust_tier": tier}
        return data


class CapsuleRecord(Frozen):
    """One capsule (a schema.org CreativeWork) or one digest page, normalized."""

    id: str = Field(description="The @id IRI (digests: a content-derived urn:capsule-audit:digest:... IRI).")
    uuid: str | None = Field(
        default=None, description="From `identifier`, else the last segment of a Forge @id."
    )
    kind: RecordKind = RecordKind.CAPSULE
    type: str = Field(default="CreativeWork", description="The schema.org type the node was accepted as.")
    name: str | None = None
    text: str = ""
    identifier: str | None = Field(
        default=None, description="`identifier` as given (CA102 compares it with @id)."
    )
    url: str | None = Field(default=None, description="`url` as given (CA102 compares it with @id).")
    keywords: tuple[str, ...] = ()
    about: tuple[Thing, ...] = ()
    citation: tuple[Thing, ...] = ()
    is_part_of: Thing | None = None
    publisher: Thing | None = None
    date_created: datetime | None = Field(default=None, description="Timezone-aware.")
    date_modified: datetime | None = Field(
        default=None, description="Timezone-aware (digests: the 'Updated' date)."
    )
    properties: CapsuleProperties = Field(default_factory=CapsuleProperties)
    source: SourceRef
    input_findings: tuple[Finding, ...] = Field(
        default=(),
        exclude=True,
        description="CA004 findings of fields left out of this record (their values were invalid).",
    )
