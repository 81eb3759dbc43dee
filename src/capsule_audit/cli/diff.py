"""`capsule-audit diff OLD.json NEW.json`: which findings are new, fixed, changed and unchanged.

Findings are matched by fingerprint, so reordering or re-serializing the input between the two
runs changes nothing. The fingerprint leaves severity out (rule, key, capsules, identity), so a
finding whose severity was raised or lowered (a configuration change, a rule's new judgement)
is the same finding, `changed`, not one fixed and one new. Exit 1 when there are new findings or
raised ones (like `diff`), 0 otherwise, 2 on error.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import orjson
import typer

from capsule_audit.cli.app import app
from capsule_audit.errors import CapsuleAuditError, UsageError
from capsule_audit.models.findings import Finding
from capsule_audit.models.report import Report
from capsule_audit.reporters.common import by_importance
from capsule_audit.reporters.json_report import load_report


@dataclass(frozen=True, slots=True)
class ReportDiff:
    """Findings of NEW absent from OLD (`new`), of OLD absent from NEW (`fixed`), in both with
    another severity (`changed`: each (old, new)), and in both alike (`unchanged`)."""

    new: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    unchanged: tuple[Finding, ...]
    changed: tuple[tuple[Finding, Finding], ...] = ()

    @property
    def raised(self) -> tuple[Finding, ...]:
        """The findings of NEW whose severity is higher than in OLD."""
        return tuple(new for old, new in self.changed if new.severity.rank > old.severity.rank)


def diff_reports(old: Report, new: Report) -> ReportDiff:
    """Compare two reports by finding fingerprint; each part worst first."""
    before = {f.fingerprint: f for f in old.findings}
    after = {f.fingerprint: f for f in new.findings}
    both = [f for fp, f in after.items() if fp in before]
    moved = {f.fingerprint for f in both if f.severity is not before[f.fingerprint].severity}
    return ReportDiff(
        new=tuple(by_importance(f for fp, f in after.items() if fp not in before)),
        fixed=tuple(by_importance(f for fp, f in before.items() if fp not in after)),
        unchanged=tuple(by_importance(f for f in both if f.fingerprint not in moved)),
        changed=tuple(
            (before[f.fingerprint], f) for f in by_importance(f for f in both if f.fingerprint in moved)
        ),
    )


def _line(finding: Finding) -> str:
    capsules = ", ".join(finding.capsules) or (finding.location.file or "-")
    return f"  {finding.rule} {finding.name} [{finding.severity.value}] {capsules}: {finding.message}"


def _direction(old: Finding, new: Finding) -> str:
    return "raised" if new.severity.rank > old.severity.rank else "lowered"


def _changed_line(old: Finding, new: Finding) -> str:
    moved = f"{old.severity.value} -> {new.severity.value}, {_direction(old, new)}"
    return _line(new).replace(f"[{new.severity.value}]", f"[{moved}]", 1)


def diff_text(diff: ReportDiff) -> str:
    """Four sections, one finding per line."""
    lines = [f"new: {len(diff.new)}", *(_line(f) for f in diff.new)]
    lines += [f"fixed: {len(diff.fixed)}", *(_line(f) for f in diff.fixed)]
    lines += [f"changed: {len(diff.changed)}", *(_changed_line(old, new) for old, new in diff.changed)]
    lines += [f"unchanged: {len(diff.unchanged)}", *(_line(f) for f in diff.unchanged)]
    return "\n".join(lines) + "\n"


def diff_json(diff: ReportDiff) -> str:
    """`{"new": [...], "fixed": [...], "changed": [...], "unchanged": [...]}`, findings as in the
    JSON report; a changed one is `{"finding": ..., "severity_before": ..., "change": "raised"}`."""
    data: dict[str, list[dict[str, object]]] = {
        part: [f.model_dump(mode="json") for f in getattr(diff, part)]
        for part in ("new", "fixed", "unchanged")
    }
    data["changed"] = [
        {
            "finding": new.model_dump(mode="json"),
            "severity_before": old.severity.value,
            "change": _direction(old, new),
        }
        for old, new in diff.changed
    ]
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode("utf-8") + "\n"


def read_report(path: Path) -> Report:
    """A JSON report from disk; UsageError when unreadable or not a report."""
    try:
        return load_report(path.read_bytes())
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:  # pydantic's ValidationError, orjson's JSONDecodeError, a dangling name
        raise UsageError(f"{path} is not a capsule-audit JSON report") from exc


class DiffFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@app.command("diff")
def diff_command(
    old: Annotated[Path, typer.Argument(help="The earlier JSON report (--format json).")],
    new: Annotated[Path, typer.Argument(help="The later JSON report.")],
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="text or json.")] = DiffFormat.TEXT,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even with new or raised findings.")
    ] = False,
) -> None:
    """List the findings that are new, fixed, changed (severity) and unchanged between two JSON reports."""
    try:
        diff = diff_reports(read_report(old), read_report(new))
    except CapsuleAuditError as exc:
        typer.echo(f"capsule-audit: error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(diff_text(diff) if fmt is DiffFormat.TEXT else diff_json(diff), nl=False)
    raise typer.Exit(1 if (diff.new or diff.raised) and not exit_zero else 0)
