"""GitHub Actions workflow commands: `::error file=F,line=L,title=T::message`.

GitHub shows at most 10 annotations of each type per step, so we emit at most 10 of each (the
worst first) and end with one notice counting the rest; the step summary and SARIF hold them all.
With `--online`, a last notice counts the verdicts (it is part of the run, not an annotation cap).
"""

from __future__ import annotations

from collections.abc import Mapping

from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.verdicts import verdict_line
from capsule_audit.reporters.common import (
    SEVERITIES,
    ReportSource,
    capsules_of,
    finding_file,
    finding_line,
    worst_per_severity,
)

MAX_PER_TYPE = 10
_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message, as the Actions runner expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: the message escapes plus ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, properties: Mapping[str, str | int | None]) -> str:
    """One workflow command line; properties with a None value are left out."""
    props = ",".join(
        f"{name}={escape_property(str(value))}" for name, value in properties.items() if value is not None
    )
    return f"::{kind}{' ' + props if props else ''}::{escape_data(message)}"


def _annotation(finding: Finding, file: str | None, line: int | None) -> str:
    message = finding.message
    if finding.capsules:
        message += "\ncapsules: " + ", ".join(finding.capsules)
    return command(
        _COMMANDS[finding.severity],
        message,
        {"file": file, "line": line, "title": f"{finding.rule} {finding.name}"},
    )


def render_github(report: ReportSource, *, max_per_type: int = MAX_PER_TYPE) -> str:
    """Annotations, at most `max_per_type` of each type, then a notice counting those left out.

    Reads the findings once, keeping the worst `max_per_type` of each type.
    """
    worst, total = worst_per_severity(report.findings, max_per_type)
    shown = [(f, _COMMANDS[f.severity]) for severity in SEVERITIES for f in worst.get(severity, ())]
    per_type = {kind: sum(1 for _, k in shown if k == kind) for kind in _COMMANDS.values()}
    left_out = total - len(shown)
    if left_out and per_type.get("notice", 0) >= max_per_type:
        # The count is itself a notice: make room for it so that GitHub does not drop it.
        drop = next(i for i in range(len(shown) - 1, -1, -1) if shown[i][1] == "notice")
        del shown[drop]
        left_out += 1
    capsules = capsules_of(report, (finding for finding, _ in shown))
    lines = [
        _annotation(finding, finding_file(finding, capsules), finding_line(finding, capsules))
        for finding, _ in shown
    ]
    if left_out:
        lines.append(
            command(
                "notice",
                f"{left_out} more finding(s) not annotated (GitHub shows {max_per_type} per type); "
                "see the step summary or the SARIF report.",
                {"title": "capsule-audit"},
            )
        )
    if report.verdicts:
        lines.append(command("notice", verdict_line(report.verdicts), {"title": "capsule-audit online"}))
    return "".join(line + "\n" for line in lines)
