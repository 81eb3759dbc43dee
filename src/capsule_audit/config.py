"""Configuration: input limits, rule selection, severity overrides, thresholds, fail-on.

Read from `[tool.capsule-audit]` in pyproject.toml or from capsule-audit.toml (see
`capsule_audit.config_file`), then overridden by command-line flags.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from capsule_audit.models.findings import Severity

FailOn = Literal["error", "warning", "info", "never"]


class Limits(BaseModel):
    """Input limits; a document over one becomes a CA005 finding, never a crash."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_document_bytes: int = Field(default=5 * 1024 * 1024, gt=0, description="Largest document (bytes).")
    max_depth: int = Field(default=100, gt=0, description="Deepest JSON nesting.")
    max_int_digits: int = Field(default=4300, gt=0, description="Longest integer literal (digits).")
    max_file_bytes: int = Field(
        default=4 * 1024 * 1024 * 1024, gt=0, description="Largest input file after decompression (bytes)."
    )


class Suppression(BaseModel):
    """An accepted finding, with the reason an editor gave."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str = Field(description="Rule code or name.")
    capsule: str | None = Field(default=None, description="Capsule @id; None for every capsule.")
    key: str | None = Field(default=None, description="Finding key, e.g. 'arxiv:2604.01234'.")
    reason: str = Field(min_length=1)


class AuditConfig(BaseModel):
    """Everything that shapes one audit run."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    limits: Limits = Field(default_factory=Limits)
    select: tuple[str, ...] = Field(
        default=(), description="Rule codes, names or families (CA4, CA401); empty: all."
    )
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = Field(default_factory=dict, description="Rule code or name to severity.")
    thresholds: dict[str, float] = Field(default_factory=dict, description="Named rule thresholds.")
    suppressions: tuple[Suppression, ...] = ()
    fail_on: FailOn = "error"
    now: datetime | None = Field(default=None, description="The audit clock; None: the real clock.")
    jobs: int = Field(default=1, ge=1)
    online: bool = False
    exclude: tuple[str, ...] = Field(
        default=(), description="Globs of files and folders not read from folders (besides .git, .hg, .svn)."
    )
    follow_links: bool = Field(
        default=False, description="Follow symbolic links that lead out of the folders given."
    )
