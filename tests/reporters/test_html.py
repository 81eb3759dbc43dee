"""The HTML report: hostile capsule data comes out inert, the page is self-contained, and in a
real browser it loads without console errors, filters on click and renders."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import pytest

from capsule_audit.reporters.html import render_html
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


def test_hostile_capsule_data_is_shown_as_text_never_as_markup(page_html: str) -> None:
    page = Page(page_html)
    assert page.scripts == [_asset("report.js")], "the only script is the page's own"
    assert page.elements("img") == [], "an <img> payload became an element"
    handlers = [(tag, name) for tag, attrs in page.tags for name in attrs if name.startswith("on")]
    assert handlers == [], f"event-handler attributes in the DOM: {handlers}"
    text = "".join(page.text)
    assert SCRIPT in text and IMG in text, "the payloads must be displayed (escaped), not dropped"


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
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script


def test_filters_offer_every_rule_severity_and_capsule_with_findings(page_html: str) -> None:
    report = sample_report()
    page = Page(page_html)
    articles = page.elements("article")
    assert len(articles) == len(report.findings)
    assert {a["data-rule"] for a in articles} == {f.rule for f in report.findings}
    # Every capsule ref used by a finding is offered by the capsule filter.
    options = {a.get("value") for a in page.elements("option")}
    refs = {ref for a in articles for ref in (a["data-capsules"] or "").split()}
    assert refs <= options
    assert {f.rule for f in report.findings} <= options
    assert {"error", "warning", "info"} <= options


def test_every_evidence_is_quoted_and_the_cluster_listed(page_html: str) -> None:
    report = sample_report()
    page = Page(page_html)
    assert len(page.elements("blockquote")) == sum(len(f.evidence) for f in report.findings)
    text = "".join(page.text)
    cluster = report.clusters[0]
    assert cluster.key in text
    for member in cluster.members:
        assert member.capsule in text and (member.acronym or "") in text


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
