"""Baselines: accept today's findings so that CI fails only on new ones.

A baseline file lists findings by fingerprint (stable across input order, file names and JSON-LD
form, computed by the engine). Applying it (`store.narrowed.Narrowed`) marks every finding `new`
or `baseline` and lists the stale entries: accepted findings that no longer occur (fixed, or
their capsules are gone).
The file holds no timestamps, so re-writing an unchanged baseline gives identical bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson
from pydantic import ValidationError

from capsule_audit.atomic import atomic_writer
from capsule_audit.config import FailOn
from capsule_audit.errors import UsageError
from capsule_audit.models.findings import Finding, SettledFindings, Severity
from capsule_audit.models.report import BaselineEntry
from capsule_audit.store.database import Store

BASELINE_FORMAT = 1
_FAIL_RANK = {"error": Severity.ERROR.rank, "warning": Severity.WARNING.rank, "info": Severity.INFO.rank}


def baseline_entry(finding: Finding) -> BaselineEntry:
    """The baseline entry accepting `finding`."""
    return BaselineEntry(
        fingerprint=finding.fingerprint,
        rule=finding.rule,
        name=finding.name,
        capsules=finding.capsules,
        key=finding.key,
        message=finding.message,
    )


_ENTRIES = "SELECT arg_max(body, seq) FROM {table} GROUP BY fingerprint ORDER BY fingerprint"


def write_baseline(findings: Iterable[Finding], path: str | Path, store: Store) -> None:
    """Write the baseline file accepting every finding: one entry per fingerprint (of findings
    sharing one, the last), sorted by fingerprint in the store, written one by one.

    The bytes are orjson's two-space indent of `{"capsule_audit_baseline": 1, "findings": [...]}`.
    """
    rows = (
        (
            entry.fingerprint,
            seq,
            orjson.dumps(entry.model_dump(mode="json"), option=orjson.OPT_INDENT_2).decode(),
        )
        for seq, entry in enumerate(map(baseline_entry, findings))
    )
    table = store.table("baseline", "fingerprint VARCHAR, seq BIGINT, body VARCHAR", rows)
    try:
        with atomic_writer(path) as out:
            out.write(f'{{\n  "capsule_audit_baseline": {BASELINE_FORMAT},\n  "findings": [')
            first = True
            for (body,) in store.scan(_ENTRIES.replace("{table}", table)):
                out.write(("\n" if first else ",\n") + "    " + body.replace("\n", "\n    "))
                first = False
            out.write("]\n}\n" if first else "\n  ]\n}\n")
    except OSError as exc:
        raise UsageError(f"cannot write baseline {path}: {exc.strerror or exc}") from exc
    finally:
        store.con.execute(f"DROP TABLE {table}")


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


def iter_failing(findings: Iterable[Finding], fail_on: FailOn) -> Iterator[Finding]:
    """The findings that fail the run: at or above `fail_on`, and new when a baseline is applied."""
    if fail_on == "never":
        return
    floor = _FAIL_RANK[fail_on]
    for f in findings:
        if f.severity.rank >= floor and f.baseline in (None, "new"):
            yield f


def exit_code_of(findings: Iterable[Finding], fail_on: FailOn, *, exit_zero: bool = False) -> int:
    """0 when nothing fails the run (or with --exit-zero), else 1; reads `findings` only up to the
    first failing one."""
    if exit_zero:
        return 0
    if isinstance(findings, SettledFindings):  # counted where they are kept: none marked
        floor = _FAIL_RANK.get(fail_on)
        failing = floor is not None and any(
            severity.rank >= floor for severity, _, _ in findings.rule_counts()
        )
        return 1 if failing else 0
    return 1 if next(iter_failing(findings, fail_on), None) is not None else 0
