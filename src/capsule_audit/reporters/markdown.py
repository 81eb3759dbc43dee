"""A Markdown summary for `$GITHUB_STEP_SUMMARY`: counts, findings per rule, the top findings.

Capsule names and messages come from untrusted input; every cell is escaped so that it can
neither break the table nor inject links, images or HTML into the summary page.
"""

from __future__ import annotations

import re

from capsule_audit.models.findings import Finding
from capsule_audit.models.report import CapsuleEntry, Report
from capsule_audit.models.verdicts import verdict_summary
from capsule_audit.reporters.common import (
    SEVERITIES,
    by_importance,
    capsule_index,
    rule_counts,
)

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


def render_markdown(report: Report, *, top: int = TOP_FINDINGS) -> str:
    """The summary document, ending with a newline."""
    s = report.summary
    counts = {sev.value: sum(1 for f in report.findings if f.severity is sev) for sev in SEVERITIES}
    lines = [
        f"## {report.tool.name} {report.tool.version}",
        "",
        f"**{len(report.findings)} finding(s)**: {counts['error']} error(s), "
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
    per_rule = rule_counts(report.findings)
    if per_rule:
        names = {f.rule: f.name for f in report.findings}
        lines += ["", "### Findings by rule", "", "| Rule | Name | Findings |", "|---|---|---:|"]
        lines += [f"| `{code}` | {escape(names[code])} | {n} |" for code, n in per_rule.items()]
    ordered = by_importance(report.findings)
    if report.baseline is not None:  # new findings are what the reader must act on
        ordered.sort(key=lambda f: f.baseline != "new")
    if ordered:
        entries = capsule_index(report)
        lines += ["", "### Top findings", "", "| Severity | Rule | Capsules | Message |", "|---|---|---|---|"]
        lines += [_finding_row(f, entries) for f in ordered[:top]]
        if len(ordered) > top:
            lines += ["", f"… and {len(ordered) - top} more: see the JSON, SARIF or HTML report."]
    else:
        lines += ["", "No findings. ✅"]
    return "\n".join(lines) + "\n"
