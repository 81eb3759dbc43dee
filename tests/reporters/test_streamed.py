"""The streaming writers give the bytes of the in-memory renderers."""

from __future__ import annotations

import io

from capsule_audit.models.report import Report
from capsule_audit.reporters.json_report import render_json, write_json
from capsule_audit.reporters.text import render_text, write_text
from tests.reporters.sample_report import sample_report


def test_write_json_writes_render_json_bytes() -> None:
    report = sample_report()
    out = io.StringIO()
    write_json(report, out)
    assert out.getvalue() == render_json(report)


def test_write_json_of_an_empty_report() -> None:
    report = Report.model_validate_json(render_json(sample_report())).model_copy(
        update={"capsules": (), "claims": (), "findings": (), "clusters": (), "records": ()}
    )
    out = io.StringIO()
    write_json(report, out)
    assert out.getvalue() == render_json(report)


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
