"""Baselines: accept today's findings so that CI fails only on new ones.

A baseline file lists findings by fingerprint (stable across input order, file names and JSON-LD
form, computed by the engine). Applying it marks every finding `new` or `baseline` and lists the
stale entries: accepted findings that no longer occur (fixed, or their capsules are gone).
The file holds no timestamps, so re-writing an unchanged baseline gives identical bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import orjson
from pydantic import ValidationError

from capsule_audit.atomic import atomic_writer, write_atomically
from capsule_audit.config import FailOn
from capsule_audit.errors import UsageError
from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.report import BaselineEntry, BaselineInfo, Report
from capsule_audit.store.spool import SortedSpool, Workspace

BASELINE_FORMAT = 1
_FAIL_RANK = {"error": Severity.ERROR.rank, "warning": Severity.WARNING.rank, "info": Severity.INFO.rank}


def baseline_entries_unsorted(findings: Iterable[Finding]) -> Iterator[BaselineEntry]:
    """The baseline entry of each finding, in the findings' order."""
    for f in findings:
        yield BaselineEntry(
            fingerprint=f.fingerprint,
            rule=f.rule,
            name=f.name,
            capsules=f.capsules,
            key=f.key,
            message=f.message,
        )


def baseline_entries(findings: Iterable[Finding]) -> list[BaselineEntry]:
    """One entry per distinct fingerprint, sorted by fingerprint."""
    entries = {entry.fingerprint: entry for entry in baseline_entries_unsorted(findings)}
    return [entries[fp] for fp in sorted(entries)]


def render_baseline(report: Report) -> str:
    """The baseline file's text for every finding of `report`."""
    data = {
        "capsule_audit_baseline": BASELINE_FORMAT,
        "findings": [entry.model_dump(mode="json") for entry in baseline_entries(report.findings)],
    }
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"


def write_baseline(report: Report, path: str | Path) -> None:
    """Write the baseline file accepting every finding of `report`."""
    try:
        write_atomically(path, render_baseline(report))
    except OSError as exc:
        raise UsageError(f"cannot write baseline {path}: {exc.strerror or exc}") from exc


def stream_baseline(findings: Iterable[Finding], path: str | Path, workspace: Workspace) -> None:
    """`write_baseline` for a stream of findings: sorted by fingerprint on disk, written one by one.

    The bytes are those of `render_baseline` (orjson's two-space indent, each entry indented
    into the list); of findings sharing a fingerprint the last one is kept, as there.
    """
    spool: SortedSpool[tuple[str, BaselineEntry]] = SortedSpool(workspace, itemgetter(0))
    for entry in baseline_entries_unsorted(findings):
        spool.add((entry.fingerprint, entry))
    try:
        with atomic_writer(path) as out:
            out.write(f'{{\n  "capsule_audit_baseline": {BASELINE_FORMAT},\n  "findings": [')
            first = True
            for _, group in groupby(spool, key=itemgetter(0)):
                *_, (_, entry) = group
                body = orjson.dumps(entry.model_dump(mode="json"), option=orjson.OPT_INDENT_2).decode("utf-8")
                out.write(("\n" if first else ",\n") + "    " + body.replace("\n", "\n    "))
                first = False
            out.write("]\n}\n" if first else "\n  ]\n}\n")
    except OSError as exc:
        raise UsageError(f"cannot write baseline {path}: {exc.strerror or exc}") from exc


def read_baseline(path: str | Path) -> dict[str, BaselineEntry]:
    """Fingerprint to entry; UsageError when the file is missing or is not a baseline."""
    try:
        data = orjson.loads(Path(path).read_bytes())
    except OSError as exc:
        raise UsageError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
    except orjson.JSONDecodeError as exc:
        raise UsageError(f"baseline {path} is not JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("capsule_audit_baseline") != BASELINE_FORMAT:
        raise UsageError(f"{path} is not a capsule-audit baseline (format {BASELINE_FORMAT})")
    try:
        entries = [BaselineEntry.model_validate(item) for item in data.get("findings", [])]
    except ValidationError as exc:
        raise UsageError(f"baseline {path} has an invalid entry: {exc.errors()[0]['msg']}") from exc
    return {entry.fingerprint: entry for entry in entries}


def mark_baseline(report: Report, entries: Mapping[str, BaselineEntry], path: str) -> Report:
    """Mark each finding `new` or `baseline` against `entries`; list the stale entries."""
    findings = tuple(
        f.model_copy(update={"baseline": "baseline" if f.fingerprint in entries else "new"})
        for f in report.findings
    )
    seen = {f.fingerprint for f in findings}
    stale = tuple(entries[fp] for fp in sorted(entries) if fp not in seen)
    new = sum(1 for f in findings if f.baseline == "new")
    info = BaselineInfo(path=path, new=new, baseline=len(findings) - new, stale=stale)
    return report.model_copy(update={"findings": findings, "baseline": info})


def apply_baseline(report: Report, baseline_path: str | Path) -> Report:
    """Read the baseline file and mark the report's findings against it."""
    return mark_baseline(report, read_baseline(baseline_path), str(baseline_path))


def failing_findings(report: Report, fail_on: FailOn) -> tuple[Finding, ...]:
    """The findings that fail the run: at or above `fail_on`, and new when a baseline is applied."""
    return tuple(iter_failing(report.findings, fail_on))


def iter_failing(findings: Iterable[Finding], fail_on: FailOn) -> Iterator[Finding]:
    """`failing_findings` over any stream of findings (an audit result's spool)."""
    if fail_on == "never":
        return
    floor = _FAIL_RANK[fail_on]
    for f in findings:
        if f.severity.rank >= floor and f.baseline in (None, "new"):
            yield f


def exit_code(report: Report, fail_on: FailOn, *, exit_zero: bool = False) -> int:
    """0 when nothing fails the run (or with --exit-zero), else 1."""
    return exit_code_of(report.findings, fail_on, exit_zero=exit_zero)


def exit_code_of(findings: Iterable[Finding], fail_on: FailOn, *, exit_zero: bool = False) -> int:
    """`exit_code` for a stream of findings: reads it only up to the first failing one."""
    if exit_zero:
        return 0
    return 1 if next(iter_failing(findings, fail_on), None) is not None else 0
