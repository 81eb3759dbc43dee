"""--focus: audit the whole corpus for context, report only on findings involving a new batch.

A CI job checks a new batch against the accepted corpus: every capsule is loaded (so a conflict
between a new capsule and an old one is found), but only findings that involve a capsule whose
source lies under a focus path, or that point at a file under one, are kept.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence

from capsule_audit.models.findings import Finding
from capsule_audit.models.report import BaselineInfo, CapsuleEntry, Report
from capsule_audit.reporters.common import rule_counts, severity_counts


def _normal(path: str) -> str:
    # Lexical, not resolved: paths in the report are as given on the command line.
    return os.path.normcase(os.path.abspath(path))


def is_under(path: str, roots: Sequence[str]) -> bool:
    """Whether `path` is one of `roots` or lies inside one ('-', stdin, is under none)."""
    if path == "-":
        return False
    target = _normal(path)
    for root in roots:
        base = _normal(root)
        if target == base or target.startswith(base.rstrip(os.sep) + os.sep):
            return True
    return False


def involves(finding: Finding, focus: Collection[str], roots: Sequence[str]) -> bool:
    """Whether a finding names a focused capsule or points at a file under a focus path."""
    if any(capsule in focus for capsule in finding.capsules):
        return True
    return finding.location.file is not None and is_under(finding.location.file, roots)


def _status(entry: CapsuleEntry, kept: dict[str, Finding]) -> CapsuleEntry:
    fingerprints = tuple(fp for fp in entry.findings if fp in kept)
    worst = max((kept[fp].severity for fp in fingerprints), key=lambda s: s.rank, default=None)
    status = worst.value if worst is not None else "clean"
    return entry.model_copy(update={"findings": fingerprints, "status": status})


def apply_focus(report: Report, focus_paths: Sequence[str]) -> Report:
    """Keep the findings (and clusters) involving a capsule from `focus_paths`; recount."""
    if not focus_paths:
        return report
    roots = list(focus_paths)
    focus = {entry.id for entry in report.capsules if is_under(entry.source.path, roots)}
    findings = tuple(f for f in report.findings if involves(f, focus, roots))
    kept = {f.fingerprint: f for f in findings}
    summary = report.summary.model_copy(
        update={"findings": severity_counts(findings), "by_rule": rule_counts(findings)}
    )
    clusters = tuple(c for c in report.clusters if any(m.capsule in focus for m in c.members))
    baseline: BaselineInfo | None = report.baseline
    if baseline is not None:
        new = sum(1 for f in findings if f.baseline == "new")
        baseline = baseline.model_copy(update={"new": new, "baseline": len(findings) - new})
    return report.model_copy(
        update={
            "findings": findings,
            "summary": summary,
            "capsules": tuple(_status(entry, kept) for entry in report.capsules),
            "clusters": clusters,
            "baseline": baseline,
            "run": report.run.model_copy(update={"focus": tuple(focus_paths)}),
        }
    )
