"""The streaming writers give the bytes of the in-memory renderers."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from capsule_audit.api import audit_stream
from capsule_audit.config import AuditConfig
from capsule_audit.models.report import Report
from capsule_audit.reporters.common import by_importance
from capsule_audit.reporters.github import render_github
from capsule_audit.reporters.json_report import load_report, render_json, report_to_dict, write_json
from capsule_audit.reporters.junit import render_junit, write_junit
from capsule_audit.reporters.markdown import render_markdown
from capsule_audit.reporters.sarif import build_sarif, render_sarif
from capsule_audit.reporters.text import render_text, write_text
from capsule_audit.store import finding_reads
from tests.reporters.sample_report import sample_report

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def _whole(report: Report) -> str:
    # The definition: the whole report dumped at once, indented, keys sorted at every level.
    options = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
    return orjson.dumps(report_to_dict(report), option=options).decode("utf-8") + "\n"


def test_write_json_writes_the_whole_report_dump_item_by_item() -> None:
    report = sample_report()
    out = io.StringIO()
    write_json(report, out)
    assert out.getvalue() == _whole(report) == render_json(report)


def test_write_json_of_an_empty_report() -> None:
    report = load_report(render_json(sample_report())).model_copy(
        update={"capsules": (), "claims": (), "findings": (), "clusters": (), "records": ()}
    )
    out = io.StringIO()
    write_json(report, out)
    assert out.getvalue() == _whole(report)


def test_text_groups_findings_by_rule_whatever_their_order() -> None:
    report = sample_report()
    reversed_report = report.model_copy(update={"findings": tuple(reversed(report.findings))})
    out = io.StringIO()
    write_text(report, out)
    assert out.getvalue() == render_text(report)
    # Findings out of rule order (a hand-built report) are still one block per rule.
    text = render_text(reversed_report)
    for code in {f.rule for f in report.findings}:
        assert text.count(f" {code} ") == 1


def test_sarif_github_junit_and_markdown_from_an_audit_on_disk_equal_those_of_its_report(
    tmp_path: Path,
) -> None:
    config = AuditConfig(now=datetime(2026, 6, 1, tzinfo=UTC))
    with audit_stream([str(SEEDS)], config, directory=str(tmp_path)) as result:
        report = result.to_report()
        assert render_sarif(result) == render_sarif(report)
        assert render_github(result) == render_github(report)
        junit = io.StringIO()
        write_junit(result, junit, store=result.store)
        assert junit.getvalue() == render_junit(report)
        assert render_markdown(result) == render_markdown(report)
    assert "CA401" in render_sarif(report) and "::error" in render_github(report)


def test_sarif_and_github_keep_only_the_worst_findings_of_a_stream() -> None:
    report = sample_report()
    findings = report.findings
    seen: list[int] = []

    class Once:
        """A report whose findings may be read once only."""

        def __getattr__(self, name: str) -> object:
            if name == "findings":
                seen.append(1)
                return iter(findings)
            return getattr(report, name)

    sarif = build_sarif(Once(), max_results=2)  # type: ignore[arg-type]
    assert [r["partialFingerprints"]["capsuleAudit/v1"] for r in sarif["runs"][0]["results"]] == [
        f.fingerprint for f in by_importance(findings)[:2]
    ]
    assert render_github(Once(), max_per_type=1) == render_github(report, max_per_type=1)  # type: ignore[arg-type]
    assert len(seen) == 2  # one read each


def test_text_of_an_audit_on_disk_reads_lines_and_equals_that_of_its_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = AuditConfig(now=datetime(2026, 6, 1, tzinfo=UTC))
    with audit_stream([str(SEEDS)], config, directory=str(tmp_path)) as result:
        report = result.to_report()

        def rebuilt(*_: object) -> None:
            raise AssertionError("the text report rebuilt a finding")

        monkeypatch.setattr(finding_reads, "finding_of", rebuilt)
        for color in (False, True):
            assert render_text(result, color=color) == render_text(report, color=color)
    assert " CA401 " in render_text(report)
