"""The terminal summary: findings by severity and rule, then the cross-capsule conflicts table
(`reporters.text_tables`).

Capsule text is untrusted: a finding line is printed as rich `Text`, never parsed as markup, so a
capsule cannot inject console markup (the conflicts table escapes each cell).
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import groupby
from typing import Protocol, TextIO

from rich.console import Console
from rich.text import Text

from capsule_audit.models.findings import Finding, FindingLine, SettledFindings, Severity
from capsule_audit.models.report import Cluster
from capsule_audit.models.verdicts import verdict_line
from capsule_audit.reporters.common import ReportSource
from capsule_audit.reporters.text_tables import conflicts_table, short_capsule, verdicts_table

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
CAPSULES_PER_LINE = 6
"""Capsules named on one finding line; a finding naming more ends with "(+N more)" (the JSON, SARIF
and HTML reports list them all). A title shared by 30,000 capsules is one line, not a megabyte."""


def _finding_parts(finding: FindingLine) -> tuple[str, str, str]:
    """Who (capsules or place), key and message of a finding line, as plain text."""
    place = f"{finding.file}:{finding.line}" if finding.file and finding.line else finding.file
    who = ", ".join(short_capsule(c) for c in finding.head[:CAPSULES_PER_LINE]) or place or "-"
    if finding.n_capsules > CAPSULES_PER_LINE:
        who += f" (+{finding.n_capsules - CAPSULES_PER_LINE:,} more)"
    return who, finding.key or "", finding.message


def _finding_line(who: str, key: str, message: str) -> Text:
    """A finding line as rich text, the key dimmed. Never markup: escaped piece by piece, '[/' of
    one piece and ']' of the next still read as a closing tag (a MarkupError)."""
    return Text.assemble("  • ", who, *((" ", (key, "dim")) if key else ()), ": ", message)


_REWRITTEN_BY_RICH = re.compile(r"[\\\t\x07\x08\x0b\x0c\r]")
"""What rich's rendering of an escaped line changes: tabs (expanded), the control codes it strips,
backslashes (its escaping of a trailing one shows). A plain line holding none prints as it is."""


LINES_PER_WRITE = 1000
"""Plain finding lines per write: few calls, bounded text per call."""


def _findings(console: Console, findings: Iterable[Finding]) -> bool:
    """Findings by severity, then rule; in report order within a rule. Whether there were any.

    Streams: findings kept in the store are counted there and read once, a severity at a time;
    any other stream is read once to count, then once per severity.
    """
    if isinstance(findings, SettledFindings):
        counts = Counter(findings.rule_counts())
        of_severity = findings.lines_of_severity
    else:
        counts, findings = _counted(findings)
        listed = findings

        def of_severity(severity: Severity) -> Iterable[FindingLine]:
            return (FindingLine.of(f) for f in listed if f.severity is severity)

    for severity in sorted({sev for sev, _, _ in counts}, key=lambda s: -s.rank):
        rules = sorted((code, name) for sev, code, name in counts if sev is severity)
        total = sum(n for (sev, _, _), n in counts.items() if sev is severity)
        console.print(f"[{_STYLE[severity]}]{severity.value.upper()}[/] ({total})")
        names_of: dict[str, list[str]] = defaultdict(list)
        for code, name in rules:
            names_of[code].append(name)
        # A rule's findings are neighbours in report order (sorted by rule first): stream each
        # rule's block; a code with several names (never for built-in rules) is buffered.
        for code, block in groupby(of_severity(severity), key=lambda f: f.rule):
            names = names_of[code]
            if len(names) == 1:
                _print_rule(console, code, names[0], counts[(severity, code, names[0])], block)
                continue
            by_name: dict[str, list[FindingLine]] = defaultdict(list)
            for f in block:
                by_name[f.name].append(f)
            for name in names:
                _print_rule(console, code, name, counts[(severity, code, name)], by_name[name])
        console.print()
    return bool(counts)


def _counted(findings: Iterable[Finding]) -> tuple[Counter[tuple[Severity, str, str]], Iterable[Finding]]:
    """One pass to count per (severity, rule, name); the findings, sorted by rule if they were not
    (a hand-built report: grouped in memory, report order kept per rule)."""
    counts: Counter[tuple[Severity, str, str]] = Counter()
    previous, by_rule = "", True
    for f in findings:
        counts[(f.severity, f.rule, f.name)] += 1
        by_rule, previous = by_rule and f.rule >= previous, f.rule
    return counts, findings if by_rule else sorted(findings, key=lambda f: f.rule)


def _print_rule(console: Console, code: str, name: str, count: int, findings: Iterable[FindingLine]) -> None:
    console.print(f" [bold]{code}[/] {name} ({count})")
    lines = _Lines(console)
    for finding in findings:
        lines.add(*_finding_parts(finding))
    lines.flush()


class _Lines:
    """Finding lines to the console. Without colour, a line rich would print unchanged is written
    as it is, a batch at a time: rich's markup parse and control-code strip cost ~85 us a line (a
    1,000,000-capsule report has 2.6M lines). Any other line is printed alone: joined, an
    unclosed '[' of one line's text and a ']' of a later one would read as a tag (escaping is
    per line) and swallow the lines between."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._plain_ok = console.no_color
        self._held: list[str] = []

    def add(self, who: str, key: str, message: str) -> None:
        line = f"  • {who}{' ' if key else ''}{key}: {message}"
        if self._plain_ok and not _REWRITTEN_BY_RICH.search(line):
            self._held.append(line)
            if len(self._held) >= LINES_PER_WRITE:
                self.flush()
            return
        self.flush()
        self._console.print(_finding_line(who, key, message))

    def flush(self) -> None:
        if self._held:
            self._console.file.write("\n".join(self._held) + "\n")
            self._held = []


def _count(n: int, noun: str) -> str:
    """'1 capsule', '2 capsules'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


class TextSource(ReportSource, Protocol):
    """What the summary reads: a Report, or an audit result whose findings stream from disk."""

    @property
    def clusters(self) -> Iterable[Cluster]: ...


def render_text(report: TextSource, *, width: int = 110, color: bool = False) -> str:
    """The report as a readable summary (no colour codes unless `color`)."""
    buffer = io.StringIO()
    write_text(report, buffer, width=width, color=color)
    return buffer.getvalue()


def write_text(report: TextSource, out: TextIO, *, width: int = 110, color: bool = False) -> None:
    """`render_text`, written to `out` as it goes (a large report is never one string)."""
    # No emoji codes: capsule text is shown as written (':rocket:' is not an emoji here).
    console = Console(
        file=out,
        width=width,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        soft_wrap=True,
        emoji=False,
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
    any_findings = _findings(console, report.findings)
    table = conflicts_table(report.clusters)
    if table is not None:
        console.print(table)
    verdicts = verdicts_table(report.verdicts)
    if verdicts is not None:
        console.print(verdicts)
    if not any_findings:
        console.print("[green]No findings.[/]")
