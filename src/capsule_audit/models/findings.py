"""Findings: what every stage reports about the input, from a rejected document to a conflict."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from capsule_audit.models.claims import Binding, Span


class Severity(StrEnum):
    """How much a finding matters; `rank` orders them for --fail-on."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """error 3, warning 2, info 1."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Location(BaseModel):
    """Where a finding points: the input file and, inside it, a line, a JSON pointer or a text span."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str | None = None
    line: int | None = None
    pointer: str | None = Field(default=None, description="JSON pointer of the node or field.")
    field: str | None = Field(default=None, description="Record field, e.g. 'text', 'dateCreated'.")
    span: Span | None = Field(default=None, description="Character span in the record's `text`.")


class Evidence(BaseModel):
    """A quoted piece of one capsule that supports a finding."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    capsule: str
    text: str
    span: Span | None = None
    binding: Binding | None = None
    claim: str | None = None


class Finding(BaseModel):
    """One problem, located and explained. The engine stamps `rule`, `name`, `severity`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str = Field(description="Stable code, e.g. 'CA401'.")
    name: str = Field(description="Kebab-case rule name, e.g. 'conflicting-attribution'.")
    severity: Severity
    message: str
    capsules: tuple[str, ...] = Field(default=(), description="@id of every capsule involved, sorted.")
    claims: tuple[str, ...] = Field(default=(), description="Ids of the claims involved, sorted.")
    key: str | None = Field(default=None, description="Grouping key, e.g. 'arxiv:2604.01234'.")
    location: Location = Field(default_factory=Location)
    evidence: tuple[Evidence, ...] = ()
    fingerprint: str = Field(default="", description="Stable across runs, input order and JSON-LD form.")
    baseline: Literal["new", "baseline"] | None = Field(
        default=None, description="With --baseline: whether the finding was already accepted."
    )
