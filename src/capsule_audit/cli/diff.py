"""`capsule-audit diff OLD.json NEW.json`: which findings are new, fixed and unchanged.

Findings are matched by fingerprint, so reordering or re-serializing the input between the two
runs changes nothing. Exit 1 when there are new findings (like `diff`), 0 otherwise, 2 on error.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import orjson
import typer
from pydantic import ValidationError

from capsule_audit.cli.app import app
from capsule_audit.errors import CapsuleAuditError, UsageError
from capsule_audit.models.findings import Finding
from capsule_audit.models.report import Report
from capsule_audit.reporters.common import by_importance
from capsule_audit.reporters.json_report import load_report


@dataclass(frozen=True, slots=True)
class ReportDiff:
    """Findings of NEW absent from OLD (`new`), of OLD absent from NEW (`fixed`), and in both."""

    new: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    unchanged: tuple[Finding, ...]


def diff_reports(old: Report, new: Report) -> ReportDiff:
    """Compare two reports by finding fingerprint; each part worst first."""
    before = {f.fingerprint: f for f in old.findings}
    after = {f.fingerprint: f for f in new.findings}
    return ReportDiff(
        new=tuple(by_importance(f for fp, f in after.items() if fp not in before)),
        fixed=tuple(by_importance(f for fp, f in before.items() if fp not in after)),
        unchanged=tuple(by_importance(f for fp, f in after.items() if fp in before)),
    )


def _line(finding: Finding) -> str:
    capsules = ", ".join(finding.capsules) or (finding.location.file or "-")
    return f"  {finding.rule} {finding.name} [{finding.severity.value}] {capsules}: {finding.message}"


def diff_text(diff: ReportDiff) -> str:
    """Three sections, one finding per line."""
    lines: list[str] = []
    for title, findings in (("new", diff.new), ("fixed", diff.fixed), ("unchanged", diff.unchanged)):
        lines.append(f"{title}: {len(findings)}")
        lines.extend(_line(f) for f in findings)
    return "\n".join(lines) + "\n"


def diff_json(diff: ReportDiff) -> str:
    """`{"new": [...], "fixed": [...], "unchanged": [...]}`, findings as in the JSON report."""
    data = {
        part: [f.model_dump(mode="json") for f in getattr(diff, part)]
        for part in ("new", "fixed", "unchanged")
    }
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode("utf-8") + "\n"


def read_report(path: Path) -> Report:
    """A JSON report from disk; UsageError when unreadable or not a report."""
    try:
        return load_report(path.read_bytes())
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (ValidationError, orjson.JSONDecodeError) as exc:
        raise UsageError(f"{path} is not a capsule-audit JSON report") from exc


class DiffFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@app.command("diff")
def diff_command(
    old: Annotated[Path, typer.Argument(help="The earlier JSON report (--format json).")],
    new: Annotated[Path, typer.Argument(help="The later JSON report.")],
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="text or json.")] = DiffFormat.TEXT,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even with new findings.")] = False,
) -> None:
    """List the findings that are new, fixed and unchanged between two JSON reports."""
    try:
        diff = diff_reports(read_report(old), read_report(new))
    except CapsuleAuditError as exc:
        typer.echo(f"capsule-audit: error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(diff_text(diff) if fmt is DiffFormat.TEXT else diff_json(diff), nl=False)
    raise typer.Exit(1 if diff.new and not exit_zero else 0)
