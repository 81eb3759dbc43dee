"""Findings: what every stage reports about the input, from a rejected document to a conflict."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Literal, NamedTuple, Protocol, runtime_checkable

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


SPAN_UNIT = (
    "Half-open, in Unicode code points (Python `text[start:end]`); `span_utf16` gives the same "
    "range in UTF-16 code units (JavaScript `text.slice(start, end)`)."
)
"""How spans are counted: said once, in every span's description of the report schema."""


class Location(BaseModel):
    """Where a finding points: the input file and, inside it, a line, a JSON pointer or a text span."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str | None = None
    line: int | None = None
    pointer: str | None = Field(default=None, description="JSON pointer of the node or field.")
    field: str | None = Field(default=None, description="Record field, e.g. 'text', 'name', 'dateCreated'.")
    span: Span | None = Field(
        default=None,
        description="Span of the record field named by `field` (the text, or 'name': the title). "
        + SPAN_UNIT,
    )
    capsule: str | None = Field(
        default=None, description="@id of the capsule whose file, line and span these are."
    )
    span_utf16: Span | None = Field(default=None, description="`span` in UTF-16 code units.")
    text: str | None = Field(
        default=None, description="The field's text at `span`: what the finding points at."
    )


class Evidence(BaseModel):
    """A quoted piece of one capsule that supports a finding."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    capsule: str
    text: str = Field(
        description="With a `span`: exactly the record's text[span]. Without one: a quote, cut on a "
        "word boundary with '…' when shortened."
    )
    span: Span | None = Field(default=None, description="Span of the record's text. " + SPAN_UNIT)
    binding: Binding | None = None
    claim: str | None = Field(
        default=None, description="Id of the claim quoted, or that the quote is part of."
    )
    span_utf16: Span | None = Field(default=None, description="`span` in UTF-16 code units.")
    sentence: str | None = Field(
        default=None,
        description="The whole sentence or line around a quoted fragment: the record's text[sentence_span].",
    )
    sentence_span: Span | None = Field(default=None, description="Where `sentence` stands; holds `span`.")
    sentence_span_utf16: Span | None = Field(
        default=None, description="`sentence_span` in UTF-16 code units."
    )


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


@runtime_checkable
class SettledFindings(Protocol):
    """Findings that count and filter themselves where they are kept (`store.final`), none marked
    against a baseline: their readers ask them instead of reading every finding."""

    def rule_counts(self) -> Mapping[tuple[Severity, str, str], int]: ...
    def lines_of_severity(self, severity: Severity) -> Iterable[FindingLine]: ...


HEAD_CAPSULES = 32
"""Capsules a `FindingLine` names at most (the first of the finding's)."""


class FindingLine(NamedTuple):
    """What a one-line listing of a finding reads (the text report): read narrow from the store,
    never rebuilding the finding's evidence (a 1,000,000-capsule report lists 2.6M findings)."""

    rule: str
    name: str
    head: tuple[str, ...]  # the first `HEAD_CAPSULES` of its capsules
    n_capsules: int
    key: str | None
    message: str
    file: str | None
    line: int | None

    @classmethod
    def of(cls, finding: Finding) -> FindingLine:
        """The line of a finding at hand."""
        where = finding.location
        head = finding.capsules[:HEAD_CAPSULES]
        return cls(
            finding.rule,
            finding.name,
            head,
            len(finding.capsules),
            finding.key,
            finding.message,
            where.file,
            where.line,
        )
