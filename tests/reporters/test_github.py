"""GitHub workflow commands: parse back, escaped, at most 10 per type, then a count."""

from __future__ import annotations

import re
from urllib.parse import unquote

from capsule_audit.models.findings import Finding, Location, Severity
from capsule_audit.reporters.github import command, render_github
from tests.reporters.sample_report import finding, sample_report

LINE = re.compile(r"^::(?P<kind>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def parse(output: str) -> list[tuple[str, dict[str, str], str]]:
    """Each line as (kind, properties, message), unescaped the way the runner does."""
    parsed = []
    for line in output.splitlines():
        match = LINE.match(line)
        assert match, f"not a workflow command: {line!r}"
        props = dict(p.split("=", 1) for p in (match["props"] or "").split(",") if p)
        parsed.append((match["kind"], {k: unquote(v) for k, v in props.items()}, unquote(match["message"])))
    return parsed


def test_each_finding_is_an_annotation_at_its_file_and_line() -> None:
    report = sample_report()
    lines = parse(render_github(report))
    assert len(lines) == len(report.findings)
    conflict = next(f for f in report.findings if f.rule == "CA401")
    kind, props, message = next(line for line in lines if line[1]["title"].startswith("CA401"))
    assert kind == "error"
    assert props["file"] == conflict.location.file and props["line"] == str(conflict.location.line)
    assert message.startswith(conflict.message)
    assert {line[0] for line in lines} == {"error", "warning", "notice"}


def test_special_characters_are_escaped_and_survive_the_round_trip() -> None:
    nasty = "50% done\r\nnext line"
    line = command("error", nasty, {"file": "dir,x/a:b.json", "line": 3, "title": "T"})
    assert "\n" not in line and "\r" not in line
    [(_kind, props, message)] = parse(line + "\n")
    assert message == nasty and props["file"] == "dir,x/a:b.json" and props["line"] == "3"


def test_at_most_ten_per_type_then_a_count_of_the_rest() -> None:
    def many(severity: Severity, n: int) -> list[Finding]:
        return [
            finding(
                "CA303",
                "x",
                severity,
                f"{severity} {i}",
                (1,),
                location=Location(file="f.json"),
                identity=f"{severity}{i}",
            )
            for i in range(n)
        ]

    findings = (*many(Severity.ERROR, 13), *many(Severity.WARNING, 4), *many(Severity.INFO, 12))
    lines = parse(render_github(sample_report(findings)))
    kinds = [kind for kind, _, _ in lines]
    assert kinds.count("error") == 10 and kinds.count("warning") == 4
    assert kinds.count("notice") <= 10  # the count itself is a notice and must not be dropped
    shown = len(lines) - 1
    count_line = lines[-1][2]
    assert str(len(findings) - shown) in count_line


def test_no_findings_no_output() -> None:
    assert render_github(sample_report(findings=())) == ""
