"""The text summary: findings grouped by severity then rule, the conflicts table, escaped text."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from benchmarks.synth import generate
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from capsule_audit.api import audit_stream
from capsule_audit.config import AuditConfig
from capsule_audit.models.claims import Binding
from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.report import Cluster, ClusterMember, Report, RunInfo, Summary, ToolInfo
from capsule_audit.reporters.text import _Lines, _markup_line, conflicts_table, render_text, short_capsule
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


def _member(n: int, method: str, binding: Binding) -> ClusterMember:
    return ClusterMember(
        capsule=capsule_id(n), claim="c", method=method, acronym=None, institutions=("MIT",), binding=binding
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


def test_conflicts_table_lists_each_capsule_of_a_conflicting_key() -> None:
    cluster = Cluster(
        key="arxiv:2604.01234",
        members=(_member(1, "RGO", Binding.EXPLICIT), _member(2, "SARIR", Binding.POSITIONAL)),
        conflicting=True,
    )
    quiet = Cluster(
        key="arxiv:1706.03762", members=(_member(3, "Transformer", Binding.EXPLICIT),), conflicting=False
    )
    table = conflicts_table((cluster, quiet))
    assert table is not None and table.row_count == 2
    text = render_text(_report((), (cluster, quiet)))
    assert "positional" in text and "SARIR" in text and "Transformer" not in text
    assert conflicts_table((quiet,)) is None


def test_capsule_text_cannot_inject_console_markup() -> None:
    text = render_text(
        _report((_finding("CA501", Severity.WARNING, "[bold red]x[/] [link=http://e]y[/link]"),))
    )
    assert "[bold red]x[/]" in text


def test_short_capsule_names() -> None:
    assert short_capsule(capsule_id(1)) == "00000001"
    assert short_capsule("urn:capsule-audit:digest:f3b872fd4dc1edb2") == "f3b872fd"


def test_conflicts_table_shows_the_widest_conflicts_and_counts_the_rest() -> None:
    clusters = tuple(
        Cluster(
            key=f"arxiv:2604.{n:05d}",
            members=tuple(_member(k, f"M{k}", Binding.EXPLICIT) for k in range(2 + (n == 7))),
            conflicting=True,
        )
        for n in range(30)
    )
    table = conflicts_table(clusters, limit=5)
    assert table is not None
    keys = [cell for cell in table.columns[0].cells]
    assert keys[0] == "arxiv:2604.00007", "the identifier credited by the most capsules comes first"
    assert len(set(keys)) == 5
    assert table.caption is not None and "25" in str(table.caption)


def test_a_credit_shared_by_many_capsules_is_one_row_with_a_count() -> None:
    members = (
        *tuple(_member(n, "RGO", Binding.EXPLICIT) for n in range(40)),
        _member(99, "SARIR", Binding.EXPLICIT),
    )
    table = conflicts_table((Cluster(key="arxiv:2604.01234", members=members, conflicting=True),))
    assert table is not None and table.row_count == 2
    capsules = list(table.columns[1].cells)
    methods = list(table.columns[2].cells)
    assert methods[0] == "RGO" and capsules[0].endswith("+39")
    assert methods[1] == "SARIR" and "+" not in capsules[1]


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
def test_plain_finding_lines_are_what_rich_prints(lines: list[tuple[str, str, str]]) -> None:
    """Without colour, lines written as they are read exactly as rich prints their markup."""
    fast, fast_out = _console(color=False)
    written = _Lines(fast)
    for who, key, message in lines:
        written.add(who, key, message)
    written.flush()
    slow, slow_out = _console(color=False)
    for who, key, message in lines:
        slow.print(_markup_line(who, key, message))
    assert fast_out.getvalue() == slow_out.getvalue()


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


@pytest.fixture(scope="module")
def synth_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "synth-1000.ndjson"
    path.write_bytes(b"".join(generate(1000, conflicts=True)))
    return path


@pytest.mark.parametrize("limit", [1, 4, 25, 10_000])
def test_the_store_ranks_the_conflicts_table_as_a_stream_of_its_clusters_would(
    synth_dump: Path, limit: int
) -> None:
    # Ranked in SQL, only the shown clusters rebuilt: the same table, caption and count as
    # reading every cluster (ties of reach at the cut, more conflicts than shown, fewer).
    with audit_stream([str(synth_dump)], AuditConfig(now=NOW, jobs=1)) as result:
        streamed = list(result.clusters)
        widest, built, seen = result.clusters.widest_conflicts(limit)
        assert [c.key for c in built] == sorted(widest)  # only those rebuilt, by key
        from_store = conflicts_table(result.clusters, limit=limit)
    assert seen == sum(c.conflicting for c in streamed) > 4
    assert len(widest) == min(limit, seen)
    from_stream = conflicts_table(iter(streamed), limit=limit)
    assert from_store is not None and from_stream is not None
    assert _rendered(from_store) == _rendered(from_stream)


def _rendered(table: object) -> str:
    console, out = _console(color=False)
    console.print(table)
    return out.getvalue()
