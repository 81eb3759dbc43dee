"""The step summary: counts that add up, top findings, hostile text unable to inject markup."""

from __future__ import annotations

import re

from capsule_audit.models.findings import Severity
from capsule_audit.models.report import BaselineEntry, BaselineInfo
from capsule_audit.reporters.common import by_importance
from capsule_audit.reporters.markdown import escape, render_markdown
from tests.reporters.sample_report import finding, sample_report


def _tables(markdown: str) -> list[list[list[str]]]:
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            current.append([c.strip() for c in cells])
        elif current:
            tables.append(current)
            current = []
    return tables


def test_counts_table_matches_the_report() -> None:
    report = sample_report()
    counts = _tables(render_markdown(report))[0]
    row = dict(zip(counts[0], counts[2], strict=True))
    assert int(row["Documents"]) == report.summary.documents
    assert int(row["Errors"]) == sum(1 for f in report.findings if f.severity is Severity.ERROR)


def test_every_table_row_keeps_its_column_count_despite_hostile_text() -> None:
    bad = finding("CA401", "x", Severity.ERROR, "a | b | c\n| d <script>x</script> [l](http://e)", (2,))
    for table in _tables(render_markdown(sample_report((bad,)))):
        assert len({len(row) for row in table}) == 1


def test_escape_neutralises_markup() -> None:
    out = escape("<img src=x onerror=alert(1)> [link](u) *b* `c`")
    assert re.search(r"(?<!\\)[<>\[\]*`]", out) is None


def test_top_findings_are_capped_and_the_rest_counted() -> None:
    findings = tuple(finding("CA303", "x", Severity.INFO, f"n{i}", (1,), identity=str(i)) for i in range(7))
    text = render_markdown(sample_report(findings), top=5)
    assert len(_tables(text)[-1]) == 2 + 5
    assert "2 more" in text


def test_baseline_summary_lists_stale_entries() -> None:
    stale = BaselineEntry(fingerprint="f" * 32, rule="CA999", message="gone finding")
    report = sample_report().model_copy(
        update={"baseline": BaselineInfo(path="b.json", new=1, baseline=3, stale=(stale,))}
    )
    text = render_markdown(report)
    assert "CA999" in text and "gone finding" in text


def _shown(text: str) -> list[str]:
    """The messages of the top-findings table, in order."""
    return [row[3] for row in _tables(text)[-1][2:]]


def test_the_top_of_many_findings_is_their_importance_order_read_in_one_pass() -> None:
    # More findings than the pass keeps before cutting back (4 * top + 64): equal ones included.
    severities = (Severity.INFO, Severity.ERROR, Severity.WARNING)
    findings = tuple(
        finding(f"CA{300 + i % 4}", "x", severities[i % 3], f"n{i}", (1,), identity=str(i % 50))
        for i in range(300)
    )
    expected = [f.message for f in by_importance(findings)[:5]]
    assert _shown(render_markdown(sample_report(findings), top=5)) == expected
    assert "295 more" in render_markdown(sample_report(findings), top=5)


def test_with_a_baseline_new_findings_come_first() -> None:
    old = finding("CA401", "x", Severity.ERROR, "accepted error", (1,)).model_copy(
        update={"baseline": "baseline"}
    )
    new = finding("CA504", "y", Severity.INFO, "new info", (1,)).model_copy(update={"baseline": "new"})
    report = sample_report((old, new)).model_copy(
        update={"baseline": BaselineInfo(path="b.json", new=1, baseline=1, stale=())}
    )
    assert _shown(render_markdown(report)) == ["new info", "accepted error"]
