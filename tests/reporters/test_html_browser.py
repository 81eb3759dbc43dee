"""The HTML report in headless Chromium, from a real audit of 61 capsules (two pages of findings
and capsules), one of them hostile: script and handler payloads, a right-to-left override and
an emoji in its title and text, and one with a 400-character title.

Checks what an editor relies on: filters (findings and clusters), the empty state, anchors
that open on load, the offending words highlighted exactly, no network request, nothing from
the data executed, and a phone-width (390 px) layout without horizontal overflow.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from benchmarks.synth import generate

from capsule_audit.api import audit
from capsule_audit.config import AuditConfig
from capsule_audit.models.report import Report
from capsule_audit.reporters.common import by_importance
from capsule_audit.reporters.html import render_html
from tests.reporters.chromium import Browser, chromium_path
from tests.reporters.test_html import data_blocks

pytestmark = pytest.mark.browser

RUN = "<script>window.__pwned = 1</script>"
CLOSE = "</script><script>window.__pwned = 2</script>"
HANDLER = '<img src=x onerror="window.__pwned = 3">'
RLO = "\u202e"
EMOJI = "\U0001f9ea"  # outside the BMP: two UTF-16 units, one code point


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, Path]:
    folder = tmp_path_factory.mktemp("html-browser")
    docs = [json.loads(line) for line in generate(61, conflicts=True)]
    docs[0]["name"] = f"Hostile {CLOSE} {HANDLER} {RLO}fdp.exe"
    docs[0]["text"] = f"{EMOJI} {RUN} {docs[0]['text']}\n\n## Notes\n- {CLOSE} {HANDLER}"
    docs[1]["name"] = "L" * 400
    dump = folder / "dump.jsonl"
    dump.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    report = audit([str(dump)], AuditConfig(now=datetime(2026, 12, 1, tzinfo=UTC), jobs=1), keep_records=True)
    page = folder / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    return report, page


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    binary = chromium_path()
    if binary is None:
        pytest.skip("headless Chromium not installed (Debian package 'chromium'; .ci/run installs it)")
    instance = Browser(binary, tmp_path / "profile")
    instance.open_page()
    yield instance
    instance.close()


def load(browser: Browser, url: str) -> None:
    """Load `url` afresh: a change of fragment alone would not reload the page."""
    browser.navigate("about:blank")
    browser.navigate(url)


def index_of(page: Path) -> dict[str, Any]:
    return data_blocks(page.read_text(encoding="utf-8"))["index"]  # type: ignore[no-any-return]


def shown(browser: Browser, selector: str, attribute: str) -> list[str]:
    return browser.evaluate(f"[...document.querySelectorAll('{selector}')].map(e => e.{attribute})")  # type: ignore[no-any-return]


def choose(browser: Browser, control: str, value: str) -> None:
    browser.evaluate(
        f"(() => {{ const c = document.getElementById('filter-{control}'); c.value = {json.dumps(value)};"
        " c.dispatchEvent(new Event('change')); })()"
    )


def test_filters_apply_to_findings_and_clusters_and_an_empty_result_says_so(
    browser: Browser, audited: tuple[Report, Path]
) -> None:
    report, page = audited
    load(browser, page.as_uri())
    assert len(shown(browser, "article.finding", "id")) == 50, "the first page of findings"
    assert browser.evaluate("document.getElementById('total-count').textContent") == str(len(report.findings))

    choose(browser, "rule", "CA301")
    expected = [f for f in by_importance(report.findings) if f.rule == "CA301"]
    assert 0 < len(expected) <= 50
    assert shown(browser, "article.finding", "dataset.rule") == ["CA301"] * len(expected)
    assert browser.evaluate("document.getElementById('shown-count').textContent") == str(len(expected))
    assert browser.evaluate("location.hash") == "#rule=CA301"

    # The capsule filter narrows findings, clusters and capsules alike.
    choose(browser, "rule", "")
    index = index_of(page)
    cluster = next(c for c in report.clusters if len(c.members) >= 2)
    capsule = cluster.members[0].capsule
    ref = index["capsules"]["ref"][[e.id for e in report.capsules].index(capsule)]
    choose(browser, "capsule", ref)
    mine = [f for f in report.findings if capsule in f.capsules]
    assert len(shown(browser, "article.finding", "id")) == len(mine)
    assert all(ref in caps.split() for caps in shown(browser, "article.finding", "dataset.capsules"))
    clusters = [c.key for c in report.clusters if capsule in {m.capsule for m in c.members}]
    assert shown(browser, "article.cluster code.key", "textContent") == clusters
    assert shown(browser, "article.capsule", "id") == [ref]
    assert browser.evaluate("document.getElementById('findings-empty').hidden") is True

    # A rule that never fired on this capsule: nothing matches, and the page says so.
    absent = next(code for code in sorted(report.summary.by_rule) if all(f.rule != code for f in mine))
    load(browser, page.as_uri() + f"#rule={absent}&capsule={ref}")
    assert shown(browser, "article.finding", "id") == []
    assert browser.evaluate("document.getElementById('findings-empty').hidden") is False
    assert browser.evaluate("document.getElementById('clusters-empty').hidden") is False
    assert browser.console_errors() == []


def in_view(browser: Browser, anchor: str) -> bool:
    return browser.evaluate(  # type: ignore[no-any-return]
        f"(() => {{ const r = document.getElementById({json.dumps(anchor)}).getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight; })()"
    )


def test_anchors_to_findings_capsules_and_clusters_open_on_load_and_stay_in_the_url(
    browser: Browser, audited: tuple[Report, Path]
) -> None:
    report, page = audited
    index = index_of(page)
    last_finding = index["findings"]["anchor"][index["findings"]["order"][-1]]
    last_capsule = index["capsules"]["ref"][-1]
    last_cluster = index["clusters"]["anchor"][-1]
    assert len(report.findings) > 50 and len(report.capsules) > 50, "each anchor is on a later page"
    for anchor in (last_finding, last_capsule, last_cluster):
        load(browser, page.as_uri() + "#" + anchor)
        assert browser.evaluate("location.hash") == "#" + anchor
        assert browser.evaluate(f"document.getElementById({json.dumps(anchor)}).className").endswith(
            "targeted"
        )
        assert in_view(browser, anchor)
    load(browser, page.as_uri() + "#rule-CA504")
    assert browser.evaluate("document.getElementById('rule-CA504').open") is True
    assert browser.console_errors() == []


def test_the_offending_span_is_highlighted_exactly_even_after_an_emoji(
    browser: Browser, audited: tuple[Report, Path]
) -> None:
    report, page = audited
    index = index_of(page)
    hostile = report.records[0]
    located = [
        (n, f)
        for n, f in enumerate(report.findings)
        if f.location.span and f.capsules == (hostile.id,) and f.location.field in ("text", "name")
    ]
    fields = {f.location.field for _, f in located}
    assert fields == {"text", "name"}, "spans in the text, and the override in the title (CA506)"
    for n, finding in located:
        assert finding.location.span is not None
        source = hostile.name if finding.location.field == "name" else hostile.text
        span = finding.location.span
        expected = (source or "")[span.start : span.end].replace(RLO, "⟨U+202E⟩")
        anchor = index["findings"]["anchor"][n]
        load(browser, page.as_uri() + "#" + anchor)
        marked = browser.evaluate(
            f"document.querySelector('#{anchor} .offending mark.hl').textContent.replace(/ …$/, '')"
        )
        assert expected.startswith(marked) and marked
        # The full text, one click away, marks the same words in place.
        browser.evaluate(f"document.querySelector('#{anchor} .offending button.more').click()")
        full = browser.evaluate(
            f"document.querySelector('#{anchor} .offending pre.fulltext mark').textContent"
        )
        assert full == expected
    assert browser.console_errors() == []


def test_no_request_leaves_the_page_and_nothing_from_the_data_runs(
    browser: Browser, audited: tuple[Report, Path]
) -> None:
    _, page = audited
    index = index_of(page)
    browser.track_requests()
    load(browser, page.as_uri() + "#" + index["capsules"]["ref"][0])
    # Show everything that renders data lazily: full texts, the next pages, more columns.
    browser.evaluate("document.querySelectorAll('button.more').forEach(b => b.click())")
    browser.evaluate("document.querySelectorAll('.page-next').forEach(b => b.click())")
    browser.evaluate("document.querySelectorAll('button.more').forEach(b => b.click())")
    assert browser.requests() == [page.as_uri()]
    assert browser.evaluate("typeof window.__pwned") == "undefined"
    assert browser.evaluate("document.querySelectorAll('img, [onerror]').length") == 0
    types = browser.evaluate("[...document.scripts].map(s => s.type)")
    assert types.count("") == 1 and set(types) <= {"", "application/json"}
    # The payloads are shown as text, and the override as a flagged mark, not in effect.
    load(browser, page.as_uri() + "#" + index["capsules"]["ref"][0])
    name = browser.evaluate(f"document.querySelector('#{index['capsules']['ref'][0]} .name').textContent")
    assert CLOSE in name and HANDLER in name and RLO not in name and "⟨U+202E⟩" in name
    assert browser.evaluate(f"document.querySelector('#{index['capsules']['ref'][0]} .flag') !== null")
    assert RLO not in browser.evaluate("document.body.innerText")
    assert browser.console_errors() == []


def test_at_390_pixels_nothing_overflows_sideways(browser: Browser, audited: tuple[Report, Path]) -> None:
    _, page = audited
    index = index_of(page)
    browser.set_width(390)
    width = "document.documentElement.scrollWidth"
    for anchor in ("", index["capsules"]["ref"][1], index["clusters"]["anchor"][0]):
        load(browser, page.as_uri() + ("#" + anchor if anchor else ""))
        browser.evaluate("document.querySelectorAll('button.more').forEach(b => b.click())")
        assert browser.evaluate(width) <= 390, anchor or "the first page"
    assert browser.evaluate("document.getElementById('filter-rule').getBoundingClientRect().right") <= 390
    assert browser.console_errors() == []


def test_pages_are_in_the_url_and_a_capsule_card_lists_its_findings(
    browser: Browser, audited: tuple[Report, Path]
) -> None:
    report, page = audited
    index = index_of(page)
    load(browser, page.as_uri())
    first = shown(browser, "article.finding", "id")
    browser.evaluate("document.querySelector('[data-pager=findings] .page-next').click()")
    assert browser.evaluate("location.hash") == "#fp=2"
    second = shown(browser, "article.finding", "id")
    order = [index["findings"]["anchor"][n] for n in index["findings"]["order"]]
    assert first + second == order[: len(first) + len(second)] and len(first) == 50
    load(browser, page.as_uri() + "#fp=2")
    assert shown(browser, "article.finding", "id") == second

    ref = index["capsules"]["ref"][2]
    load(browser, page.as_uri() + "#" + ref)
    browser.evaluate(f"[...document.querySelectorAll('#{ref} button.chip')].at(-1).click()")
    capsule = report.capsules[2].id
    assert len(shown(browser, "article.finding", "id")) == sum(
        1 for f in report.findings if capsule in f.capsules
    )
    assert browser.evaluate("location.hash") == "#capsule=" + ref
    assert browser.console_errors() == []
