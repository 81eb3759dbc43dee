"""Online verdicts in every format: JSON (and its schema), SARIF run properties, JUnit, GitHub,
Markdown, HTML (a table, escaped) and text (the summary line and a table)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date

import jsonschema

from capsule_audit.models.report import Report
from capsule_audit.models.verdicts import Verdict, VerdictKind, verdict_counts, verdict_line
from capsule_audit.online.verify import summary_line
from capsule_audit.reporters import render
from capsule_audit.reporters.json_report import load_report, report_json_schema
from capsule_audit.reporters.sarif import build_sarif
from tests.conftest import require_reference
from tests.reporters.sample_report import IMG, SCRIPT, sample_report
from tests.reporters.test_html import Page

VERDICTS = (
    Verdict(
        key="arxiv:2604.01234",
        verdict=VerdictKind.MISCITED,
        service="arxiv",
        title_found=f"SARIR: Self-Alignment {SCRIPT}",
        date_found=date(2026, 4, 2),
        score=31.4,
        detail=f"credited with DPO {IMG}",
    ),
    Verdict(key="arxiv:2604.01890", verdict=VerdictKind.FABRICATED, service="arxiv", detail="empty 3x"),
    Verdict(
        key="arxiv:2604.04501",
        verdict=VerdictKind.VERIFIED,
        service="arxiv",
        title_found="SAAT",
        score=100.0,
        cached=True,
    ),
    Verdict(key="doi:10.1/x", verdict=VerdictKind.UNVERIFIABLE, service="crossref", detail="HTTP 503"),
)
LINE = "online: 1 verified, 1 miscited, 1 fabricated, 1 unverifiable"


def online_report() -> Report:
    return sample_report().model_copy(update={"verdicts": VERDICTS})


def test_the_count_line_is_the_one_online_runs_print() -> None:
    assert verdict_line(VERDICTS) == summary_line(VERDICTS) == LINE
    assert verdict_counts(()) == {"verified": 0, "miscited": 0, "fabricated": 0, "unverifiable": 0}


def test_json_carries_the_verdicts_validates_and_reads_back() -> None:
    text = render(online_report(), "json")
    data = json.loads(text)
    assert [v["key"] for v in data["verdicts"]] == [v.key for v in VERDICTS]
    jsonschema.validate(data, report_json_schema(), cls=jsonschema.Draft202012Validator)
    assert load_report(text).verdicts == VERDICTS
    assert json.loads(render(sample_report(), "json"))["verdicts"] == []


def test_sarif_puts_the_verdicts_in_the_run_properties() -> None:
    run = build_sarif(online_report())["runs"][0]
    assert run["properties"]["verdictCounts"] == verdict_counts(VERDICTS)
    assert run["properties"]["verdicts"][0]["title_found"].startswith("SARIR")
    assert "verdicts" not in build_sarif(sample_report())["runs"][0]["properties"]
    schema = json.loads(require_reference("sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(build_sarif(online_report()), schema)


def test_github_and_markdown_show_the_count_line() -> None:
    github = render(online_report(), "github").splitlines()
    assert github[-1] == f"::notice title=capsule-audit online::{LINE}"
    assert LINE not in render(sample_report(), "github")
    markdown = render(online_report(), "markdown")
    assert (
        "**Online verification** (4 identifiers): 1 verified, 1 miscited, 1 fabricated, 1 unverifiable"
        in markdown
    )
    assert "online: online" not in markdown.lower()
    assert "Online verification" not in render(sample_report(), "markdown")


def test_junit_still_parses() -> None:
    ET.fromstring(render(online_report(), "junit"))


def test_html_shows_an_escaped_verdicts_table() -> None:
    html = render(online_report(), "html")
    page = Page(html)
    rows = [attrs.get("class") for tag, attrs in page.tags if tag == "tr" and "verdict" in str(attrs)]
    assert rows == ["verdict-miscited", "verdict-fabricated", "verdict-verified", "verdict-unverifiable"]
    assert SCRIPT not in html and IMG not in html  # escaped, not live markup
    text = " ".join(page.text)
    assert "SARIR: Self-Alignment <script>" in text and LINE in text and "(cached)" in text
    assert 'id="verdicts"' not in render(sample_report(), "html")


def test_text_shows_the_summary_line_and_a_table() -> None:
    text = render(online_report(), "text")
    assert LINE in text and "Online verification" in text
    assert "miscited" in text and "SARIR" in text and "31" in text
    assert "Online verification" not in render(sample_report(), "text")
