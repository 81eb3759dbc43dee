"""The text summary: findings grouped by severity then rule, the conflicts table, escaped text."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.console import Console

from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.report import Cluster, Report, RunInfo, Summary, ToolInfo
from capsule_audit.reporters.text import _finding_line, _Lines, render_text, short_capsule
from tests.rules.capsules import capsule_id

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _finding(code: str, severity: Severity, message: str, n: int = 1, key: str | None = None) -> Finding:
    return Finding(
        rule=code,
        name=f"rule-{code.lower()}",
        severity=severity,
        message=message,
        capsules=(capsule_id(n),),
        key=key,
    )


def _report(findings: tuple[Finding, ...], clusters: tuple[Cluster, ...] = ()) -> Report:
    counts = {s.value: sum(f.severity is s for f in findings) for s in Severity}
    return Report(
        tool=ToolInfo(version="0"),
        run=RunInfo(started=NOW, now=NOW, inputs=("x",)),
        summary=Summary(documents=2, capsules=2, digests=0, rejected=0, claims=0, findings=counts),
        findings=findings,
        clusters=clusters,
    )


def test_errors_come_before_warnings_and_info_and_rules_group_findings() -> None:
    findings = (
        _finding("CA504", Severity.INFO, "info one"),
        _finding("CA501", Severity.WARNING, "warn one"),
        _finding("CA401", Severity.ERROR, "error one", key="arxiv:2604.01234"),
        _finding("CA401", Severity.ERROR, "error two", n=2, key="arxiv:2604.01567"),
    )
    text = render_text(_report(findings))
    order = [text.index(m) for m in ("error one", "error two", "warn one", "info one")]
    assert order == sorted(order)
    assert text.count("CA401") == 1  # one heading per rule


def test_capsule_text_cannot_inject_console_markup() -> None:
    text = render_text(
        _report((_finding("CA501", Severity.WARNING, "[bold red]x[/] [link=http://e]y[/link]"),))
    )
    assert "[bold red]x[/]" in text


def test_a_finding_naming_many_capsules_names_a_few_and_counts_the_rest() -> None:
    many = tuple(sorted(capsule_id(n) for n in range(1, 1001)))
    finding = Finding(
        rule="CA104", name="duplicate-title", severity=Severity.WARNING, message="shared", capsules=many
    )
    line = next(line for line in render_text(_report((finding,))).splitlines() if "shared" in line)
    assert [short_capsule(c) in line for c in many[:6]] == [True] * 6
    assert short_capsule(many[6]) not in line
    assert "(+994 more)" in line


def _console(color: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(
        file=out,
        width=110,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        soft_wrap=True,
        emoji=False,
    ), out


_PIECES = [*"ab [/]\\:•é中\t\x07\x08\x0b\x0c\r\n\x1b", "[bold]", "[/]", ":rocket:", "[dim]", "\\["]
_LINE_TEXT = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join)
"""Line parts made of what rich treats specially: markup tags, escapes, tabs, control codes, emoji."""


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_LINE_TEXT, _LINE_TEXT, _LINE_TEXT), min_size=1, max_size=5))
@example([("[/", "", "]")])  # pieces escaped alone, joined: a closing tag '[/: ]' (a MarkupError)
@example([("[a", "", "]")])
def test_plain_finding_lines_are_what_rich_prints(lines: list[tuple[str, str, str]]) -> None:
    """Without colour, lines written as they are read exactly as rich prints them."""
    fast, fast_out = _console(color=False)
    written = _Lines(fast)
    for who, key, message in lines:
        written.add(who, key, message)
    written.flush()
    slow, slow_out = _console(color=False)
    for who, key, message in lines:
        slow.print(_finding_line(who, key, message))
    assert fast_out.getvalue() == slow_out.getvalue()


def test_a_tag_formed_across_a_lines_parts_is_printed_as_text() -> None:
    # A capsule id ending in '[a' (ids are the dump's) and a message holding ']': each escaped
    # alone, the line read '[a: cites x]' as a tag and printed nothing of it ('[/' and ']' so:
    # a closing tag, a MarkupError).
    odd = _finding("CA401", Severity.ERROR, "cites x] here").model_copy(update={"capsules": ("urn:x[a",)})
    for color in (False, True):
        text = render_text(_report((odd,)), color=color)
        assert "x[a: cites x] here" in text


def test_an_unclosed_bracket_does_not_swallow_the_lines_after_it() -> None:
    # Escaping is per line: lines printed joined let '[a' of one and ']' of a later one read as a
    # tag (it hid both lines, and any between). Also with colour, and with a tab (through rich).
    findings = (
        _finding("CA401", Severity.ERROR, "cites [a\tfirst"),
        _finding("CA401", Severity.ERROR, "middle", n=2),
        _finding("CA401", Severity.ERROR, "] last", n=3),
    )
    for color in (False, True):
        text = render_text(_report(findings), color=color)
        assert all(word in text for word in ("[a", "first", "middle", "] last"))


def test_capsule_text_is_shown_as_written_not_as_emoji() -> None:
    findings = (_finding("CA401", Severity.ERROR, "credits :rocket: and :smile: to RGO"),)
    for color in (False, True):
        text = render_text(_report(findings), color=color)
        assert ":rocket: and :smile:" in text
