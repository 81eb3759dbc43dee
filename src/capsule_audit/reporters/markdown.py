"""A Markdown summary for `$GITHUB_STEP_SUMMARY`: counts, findings per rule, the top findings.

Capsule names and messages come from untrusted input; every cell is escaped so that it can
neither break the table nor inject links, images or HTML into the summary page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from capsule_audit.models.findings import Finding
from capsule_audit.models.report import CapsuleEntry
from capsule_audit.models.verdicts import verdict_summary
from capsule_audit.reporters.common import SEVERITIES, Leaders, ReportSource, entries_named, importance

TOP_FINDINGS = 20
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>~&])")
_ICONS = {"error": "🔴", "warning": "🟠", "info": "🔵"}


def escape(text: str, limit: int = 300) -> str:
    """One table cell: on one line, Markdown and HTML characters backslash-escaped, shortened."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", flat)


def _capsule_label(capsule: str, entries: dict[str, CapsuleEntry]) -> str:
    entry = entries.get(capsule)
    return escape(entry.name if entry is not None and entry.name else capsule, 80)


def _finding_row(finding: Finding, entries: dict[str, CapsuleEntry]) -> str:
    capsules = ", ".join(_capsule_label(c, entries) for c in finding.capsules[:3])
    if len(finding.capsules) > 3:
        capsules += f" +{len(finding.capsules) - 3}"
    if not capsules:
        capsules = escape(finding.location.file or "-", 80)
    state = f" ({finding.baseline})" if finding.baseline else ""
    icon = _ICONS[finding.severity.value]
    return (
        f"| {icon} {finding.severity.value}{state} | `{finding.rule}` {escape(finding.name)} "
        f"| {capsules} | {escape(finding.message)} |"
    )


def _tally(
    findings: Iterable[Finding], top: int, order: Callable[[Finding], Any]
) -> tuple[dict[str, int], dict[str, int], dict[str, str], list[Finding]]:
    """Findings per severity and per rule, each rule's name, and the `top` first in `order`: one pass."""
    counts = {sev.value: 0 for sev in SEVERITIES}
    per_rule: dict[str, int] = {}
    names: dict[str, str] = {}
    leaders = Leaders(top, order)
    for finding in findings:
        counts[finding.severity.value] += 1
        per_rule[finding.rule] = per_rule.get(finding.rule, 0) + 1
        names[finding.rule] = finding.name
        leaders.add(finding)
    return counts, dict(sorted(per_rule.items())), names, leaders.first()


def _new_first(finding: Finding) -> tuple[bool, tuple[int, str, str, str]]:
    return finding.baseline != "new", importance(finding)


def render_markdown(report: ReportSource, *, top: int = TOP_FINDINGS) -> str:
    """The summary document, ending with a newline.

    Reads the findings once and keeps only the `top` shown, so an audit on disk is summarized
    without its findings in memory; capsule entries are read only for the capsules shown.
    """
    s = report.summary
    # With a baseline, new findings are what the reader must act on: they come first.
    order = importance if report.baseline is None else _new_first
    counts, per_rule, names, shown = _tally(report.findings, top, order)
    total = sum(counts.values())
    lines = [
        f"## {report.tool.name} {report.tool.version}",
        "",
        f"**{total} finding(s)**: {counts['error']} error(s), "
        f"{counts['warning']} warning(s), {counts['info']} info.",
        "",
        "| Documents | Capsules | Digests | Rejected | Claims | Errors | Warnings | Info |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {s.documents} | {s.capsules} | {s.digests} | {s.rejected} | {s.claims} "
        f"| {counts['error']} | {counts['warning']} | {counts['info']} |",
    ]
    if report.verdicts:
        lines += [
            "",
            f"**Online verification** ({len(report.verdicts)} identifiers): {verdict_summary(report.verdicts)}",
        ]
    if report.run.focus:
        lines += ["", "Focus: " + ", ".join(f"`{escape(p, 120)}`" for p in report.run.focus)]
    if report.baseline is not None:
        b = report.baseline
        lines += [
            "",
            f"**Baseline** `{escape(b.path, 120)}`: {b.new} new, {b.baseline} already accepted, "
            f"{len(b.stale)} stale entr{'y' if len(b.stale) == 1 else 'ies'} (fixed or gone).",
        ]
        for entry in b.stale[:top]:
            lines.append(f"- stale: `{entry.rule}` {escape(entry.message or entry.fingerprint, 160)}")
    if per_rule:
        lines += ["", "### Findings by rule", "", "| Rule | Name | Findings |", "|---|---|---:|"]
        lines += [f"| `{code}` | {escape(names[code])} | {n} |" for code, n in per_rule.items()]
    if shown:
        entries = entries_named(report, {c for f in shown for c in f.capsules[:3]})
        lines += ["", "### Top findings", "", "| Severity | Rule | Capsules | Message |", "|---|---|---|---|"]
        lines += [_finding_row(f, entries) for f in shown]
        if total > top:
            lines += ["", f"… and {total - top} more: see the JSON, SARIF or HTML report."]
    else:
        lines += ["", "No findings. ✅"]
    return "\n".join(lines) + "\n"
