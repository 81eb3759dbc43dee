"""The terminal summary: findings by severity and rule, then the cross-capsule conflicts table.

Capsule text is untrusted: everything quoted from it goes through `rich.markup.escape`, so a
capsule cannot inject console markup.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.report import Cluster, Report
from capsule_audit.models.verdicts import Verdict, VerdictKind, verdict_line

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_VERDICT_STYLE = {
    VerdictKind.VERIFIED: "green",
    VerdictKind.MISCITED: "bold red",
    VerdictKind.FABRICATED: "bold red",
    VerdictKind.UNVERIFIABLE: "cyan",
}


def short_capsule(capsule: str) -> str:
    """The last path or URN segment of a capsule IRI, cut to 8 characters: enough to tell apart."""
    return re.split(r"[/:]", capsule.rstrip("/"))[-1][:8]


def _finding_line(finding: Finding) -> str:
    where = finding.location
    place = f"{where.file}:{where.line}" if where.file and where.line else where.file
    who = ", ".join(short_capsule(c) for c in finding.capsules) or place or "-"
    key = f" [dim]{escape(finding.key)}[/]" if finding.key else ""
    return f"  • {escape(who)}{key}: {escape(finding.message)}"


def _findings(console: Console, report: Report) -> None:
    by_severity: dict[Severity, dict[tuple[str, str], list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in report.findings:
        by_severity[f.severity][(f.rule, f.name)].append(f)
    for severity in sorted(by_severity, key=lambda s: -s.rank):
        rules = by_severity[severity]
        total = sum(len(v) for v in rules.values())
        console.print(f"[{_STYLE[severity]}]{severity.value.upper()}[/] ({total})")
        for (code, name), findings in sorted(rules.items()):
            # One print per rule, not per finding: rich's per-call cost dominated large reports.
            lines = [f" [bold]{code}[/] {name} ({len(findings)})", *map(_finding_line, findings)]
            console.print("\n".join(lines))
        console.print()


def _method(member_method: str | None, acronym: str | None) -> str:
    if member_method and acronym and acronym.lower() not in member_method.lower():
        return f"{member_method} ({acronym})"
    return member_method or acronym or "-"


TABLE_IDENTIFIERS = 25
"""A terminal table is for a glance: the most widely cited conflicts; JSON/HTML list them all."""
ROWS_PER_IDENTIFIER = 6


def conflicts_table(clusters: tuple[Cluster, ...], *, limit: int = TABLE_IDENTIFIERS) -> Table | None:
    """Identifier, capsule, method, institutions, binding: one row per capsule crediting it.

    At most `limit` identifiers, those credited by the most capsules first; the caption counts
    the rest.
    """
    conflicting = [c for c in clusters if c.conflicting]
    if not conflicting:
        return None
    conflicting.sort(key=lambda c: (-len({m.capsule for m in c.members}), c.key))
    hidden = len(conflicting) - limit
    conflicting = conflicting[:limit]
    caption = f"and {hidden} more conflicting identifiers (see --format json or html)" if hidden > 0 else None
    table = Table(title="Cross-capsule conflicts", caption=caption, show_lines=False)
    for column in ("identifier", "capsule", "method", "institutions", "binding"):
        table.add_column(column)
    for cluster in conflicting:
        # One row per distinct credit; a credit many capsules share shows one of them and a count.
        credits: dict[tuple[str, str, str], list[str]] = {}
        for m in cluster.members:
            credit = (_method(m.method, m.acronym), ", ".join(m.institutions) or "-", m.binding.value)
            capsules = credits.setdefault(credit, [])
            if m.capsule not in capsules:
                capsules.append(m.capsule)
        ranked = sorted(credits.items(), key=lambda item: -len(item[1]))
        for (method, institutions, binding), capsules in ranked[:ROWS_PER_IDENTIFIER]:
            who = short_capsule(capsules[0]) + (f" +{len(capsules) - 1}" if len(capsules) > 1 else "")
            table.add_row(escape(cluster.key), who, escape(method), escape(institutions), binding)
        if len(ranked) > ROWS_PER_IDENTIFIER:
            table.add_row(
                escape(cluster.key), "…", f"{len(ranked) - ROWS_PER_IDENTIFIER} more credits", "", ""
            )
    return table


def verdicts_table(verdicts: tuple[Verdict, ...]) -> Table | None:
    """Identifier, verdict, the title found and the similarity score: one row per identifier."""
    if not verdicts:
        return None
    table = Table(title="Online verification", show_lines=False)
    for column in ("identifier", "verdict", "title found", "score"):
        table.add_column(column)
    for v in verdicts:
        style = _VERDICT_STYLE[v.verdict]
        score = f"{v.score:.0f}" if v.score is not None else "-"
        table.add_row(escape(v.key), f"[{style}]{v.verdict.value}[/]", escape(v.title_found or "-"), score)
    return table


def _count(n: int, noun: str) -> str:
    """'1 capsule', '2 capsules'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def render_text(report: Report, *, width: int = 110, color: bool = False) -> str:
    """The report as a readable summary (no colour codes unless `color`)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, force_terminal=color, no_color=not color, highlight=False, soft_wrap=True
    )
    s = report.summary
    console.print(
        f"[bold]capsule-audit[/] {report.tool.version}: {_count(s.documents, 'document')} "
        f"({_count(s.capsules, 'capsule')}, {_count(s.digests, 'digest')}, {s.rejected} rejected), "
        f"{_count(s.claims, 'claim')}"
    )
    counts = ", ".join(f"{s.findings.get(sev.value, 0)} {sev.value}" for sev in Severity)
    console.print(f"findings: {counts}")
    if report.verdicts:
        console.print(verdict_line(report.verdicts))
    console.print()
    _findings(console, report)
    table = conflicts_table(report.clusters)
    if table is not None:
        console.print(table)
    verdicts = verdicts_table(report.verdicts)
    if verdicts is not None:
        console.print(verdicts)
    if not report.findings:
        console.print("[green]No findings.[/]")
    return buffer.getvalue()
