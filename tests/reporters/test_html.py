"""The HTML report: hostile capsule data comes out inert, the page is self-contained, and in a
real browser it loads without console errors, filters on click and renders."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from capsule_audit.models.report import Report
from capsule_audit.reporters.common import by_importance
from capsule_audit.reporters.html import explanation, render_html, write_html
from capsule_audit.reporters.html_data import embed
from capsule_audit.rules.registry import rules_by_code
from tests.reporters.chromium import Browser, chromium_path
from tests.reporters.sample_report import IMG, SCRIPT, sample_report


class Page(HTMLParser):
    """Every start tag with its attributes, the text of each <script>, and all text data."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style", "blockquote"):
            self._in.append(tag)
            if tag == "script":
                self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "script":
            self.scripts[-1] += data
        self.text.append(data)

    def elements(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def _asset(name: str) -> str:
    return (files("capsule_audit.reporters") / "templates" / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page_html() -> str:
    return render_html(sample_report())


def data_blocks(html: str) -> dict[str, Any]:
    """Every `<script type="application/json">` block, parsed, by id."""
    page = Page(html)
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    return {
        attrs["id"] or "": json.loads(text)
        for attrs, text in zip(scripts, page.scripts, strict=True)
        if attrs.get("type") == "application/json"
    }


def test_hostile_capsule_data_is_data_never_markup_or_script(page_html: str) -> None:
    page = Page(page_html)
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    runnable = [text for attrs, text in zip(scripts, page.scripts, strict=True) if "type" not in attrs]
    assert runnable == [_asset("report.js")], "the only script that runs is the page's own"
    assert all(a.get("type") in (None, "application/json") for a in scripts)
    assert page.elements("img") == [], "an <img> payload became an element"
    handlers = [(tag, name) for tag, attrs in page.tags for name in attrs if name.startswith("on")]
    assert handlers == [], f"event-handler attributes in the DOM: {handlers}"
    for text in page.scripts:
        assert "</script" not in text.lower() and "<!--" not in text, "data can end its block"
    # The payloads are still there, as data the page shows as text.
    blocks = data_blocks(page_html)
    names = blocks["index"]["capsules"]["name"]
    assert f"Scaling {SCRIPT} {IMG}" in names
    texts = [item[3] for name, chunk in blocks.items() if name.startswith("t") for item in chunk]
    assert any(SCRIPT in text for text in texts)


def test_embedded_json_escapes_what_could_end_a_script_or_a_line() -> None:
    hostile = "</script><script>alert(1)</script><!-- \u2028\u2029 & >"
    written = embed({"text": hostile})
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in written
    assert json.loads(written) == {"text": hostile}


def test_csp_allows_only_the_pages_own_style_and_script(page_html: str) -> None:
    page = Page(page_html)
    metas = [
        a for a in page.elements("meta") if (a.get("http-equiv") or "").lower() == "content-security-policy"
    ]
    assert len(metas) == 1
    policy = {
        part.split()[0]: part.split()[1:] for part in (metas[0]["content"] or "").split(";") if part.strip()
    }
    assert policy["default-src"] == ["'none'"]
    for directive, asset in (("script-src", "report.js"), ("style-src", "report.css")):
        digest = base64.b64encode(hashlib.sha256(_asset(asset).encode()).digest()).decode()
        assert policy[directive] == [f"'sha256-{digest}'"]
    remote = [a for _, a in page.tags for k in ("src", "href") if (a.get(k) or "").startswith(("http", "//"))]
    assert remote == [], "the page must load nothing"


def test_the_script_never_writes_html() -> None:
    script = _asset("report.js")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert sink not in script


def test_the_index_lists_every_finding_worst_first_with_its_rule_severity_and_capsules(
    page_html: str,
) -> None:
    report = sample_report()
    index = data_blocks(page_html)["index"]
    found = index["findings"]
    rules = [code for code, _ in index["rules"]]
    refs = index["capsules"]["ref"]
    positions = {entry.id: n for n, entry in enumerate(report.capsules)}
    for n, finding in enumerate(report.findings):
        assert rules[found["rule"][n]] == finding.rule
        assert index["severities"][found["sev"][n]] == finding.severity.value
        assert found["caps"][n] == [positions[c] for c in finding.capsules]
        assert found["anchor"][n] == "finding-" + finding.fingerprint[:12]
    shown = [report.findings[n].fingerprint for n in found["order"]]
    assert shown == [f.fingerprint for f in by_importance(report.findings)]
    assert refs == ["capsule-" + e.id.rsplit("/", 1)[1] for e in report.capsules]


def test_finding_details_carry_the_spans_to_highlight_in_the_capsule_text(page_html: str) -> None:
    report = sample_report()
    blocks = data_blocks(page_html)
    details = [item for name in sorted(blocks) if name.startswith("f") for item in blocks[name]]
    conflict = details[0]
    finding = report.findings[0]
    assert finding.location.span is not None
    capsule, start, end, field = conflict[7]
    assert field == "text"
    assert (start, end) == (finding.location.span.start, finding.location.span.end)
    assert report.capsules[capsule].id in finding.capsules
    texts = {item[0]: item[3] for name, chunk in blocks.items() if name.startswith("t") for item in chunk}
    assert texts[report.capsules[capsule].id] == report.records[capsule].text


def test_anchors_do_not_depend_on_input_order() -> None:
    report = sample_report()
    shuffled = sample_report(tuple(reversed(report.findings)))
    first, second = (data_blocks(render_html(r))["index"]["findings"] for r in (report, shuffled))
    assert sorted(first["anchor"]) == sorted(second["anchor"])
    assert len(set(first["anchor"])) == len(first["anchor"])


def test_rules_with_findings_are_explained_from_their_docstrings(page_html: str) -> None:
    page = Page(page_html)
    explained = {a["id"] for a in page.elements("details") if (a.get("id") or "").startswith("rule-")}
    known = {"CA401", "CA503", "CA001"}  # the sample's codes the registry has
    assert {f"rule-{code}" for code in known} <= explained
    blocks = explanation(rules_by_code()["CA401"].doc)
    assert ("h", "Why this matters") in blocks and ("h", "Fails") in blocks and ("h", "Passes") in blocks
    assert "".join(page.text).count("Why this matters") >= len(known)


def test_the_page_reads_each_list_of_a_streamed_source_once() -> None:
    report = sample_report()
    source = OnceSource(report)
    out = io.StringIO()
    write_html(source, out)
    assert out.getvalue() == render_html(report)
    assert source.reads == {"capsules": 1, "records": 1, "findings": 1, "clusters": 1}


class OnceSource:
    """A report whose lists can be read once each, like spools that should not be re-read."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.reads: dict[str, int] = {}

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.report, name)
        if name in ("capsules", "records", "findings", "clusters", "claims"):
            self.reads[name] = self.reads.get(name, 0) + 1
            assert self.reads[name] == 1, f"{name} read twice"
            return iter(value)
        return value


def test_rendering_is_deterministic() -> None:
    assert render_html(sample_report()) == render_html(sample_report())


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    binary = chromium_path()
    if binary is None:
        pytest.skip("headless Chromium not installed (Debian package 'chromium'; .ci/run installs it)")
    instance = Browser(binary, tmp_path / "profile")
    instance.open_page()
    yield instance
    instance.close()


@pytest.mark.browser
def test_in_chromium_loads_cleanly_filters_on_click_and_renders(browser: Browser, tmp_path: Path) -> None:
    report = sample_report()
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    browser.navigate(page.as_uri())
    visible = "document.querySelectorAll('article.finding:not([hidden])').length"
    assert browser.evaluate(visible) == len(report.findings)

    browser.evaluate("document.querySelector('button[data-set-filter=severity][data-value=warning]').click()")
    warnings = sum(1 for f in report.findings if f.severity.value == "warning")
    assert 0 < warnings < len(report.findings)
    assert browser.evaluate(visible) == warnings
    assert browser.evaluate("document.getElementById('shown-count').textContent") == str(warnings)
    assert browser.evaluate("document.getElementById('filter-severity').value") == "warning"

    browser.evaluate("document.getElementById('filter-reset').click()")
    assert browser.evaluate(visible) == len(report.findings)
    # No payload ran: alert was never reached and no injected element exists.
    assert browser.evaluate("document.querySelectorAll('img, [onerror]').length") == 0

    shot = tmp_path / "report.png"
    browser.screenshot(shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000, "a blank page would compress to almost nothing"
    assert browser.console_errors() == []


@pytest.mark.browser
def test_in_chromium_a_filter_in_the_url_hash_applies_on_load(browser: Browser, tmp_path: Path) -> None:
    report = sample_report()
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    browser.navigate(page.as_uri() + "#rule=CA401")
    shown = browser.evaluate(
        "[...document.querySelectorAll('article.finding:not([hidden])')].map(e => e.dataset.rule)"
    )
    assert shown == ["CA401"] * sum(1 for f in report.findings if f.rule == "CA401")
    assert browser.console_errors() == []


@pytest.mark.browser
def test_the_console_check_catches_errors(browser: Browser, tmp_path: Path) -> None:
    # Guards the guard: a blocked inline handler and an uncaught exception must both be reported.
    blocked = tmp_path / "blocked.html"
    blocked.write_text(
        "<!doctype html><meta http-equiv='Content-Security-Policy' content=\"default-src 'none'\">"
        f"<p>x</p>{IMG}",
        encoding="utf-8",
    )
    browser.navigate(blocked.as_uri())
    assert browser.console_errors() != []
    browser.events.clear()
    throwing = tmp_path / "throwing.html"
    throwing.write_text("<!doctype html><p>x</p><script>missingFunction();</script>", encoding="utf-8")
    browser.navigate(throwing.as_uri())
    assert any("missingFunction" in error for error in browser.console_errors())


def test_without_the_records_evidence_keeps_its_own_quote() -> None:
    with_texts = sample_report()
    without = with_texts.model_copy(update={"records": ()})
    for report, quoted in ((with_texts, False), (without, True)):
        blocks = data_blocks(render_html(report))
        details = [item for name in sorted(blocks) if name.startswith("f") for item in blocks[name]]
        conflict_quotes = [ev[3] for ev in details[0][8]]
        assert all((quote is not None) == quoted for quote in conflict_quotes), report.records == ()
