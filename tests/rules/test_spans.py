"""Spans in findings: quotes equal to text[span], UTF-16 offsets, sentences, group locations."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from capsule_audit.api import audit
from capsule_audit.config import AuditConfig
from capsule_audit.models.claims import Span
from capsule_audit.models.findings import Finding
from capsule_audit.models.records import SourceRef
from capsule_audit.models.report import Report
from capsule_audit.reporters.json_report import report_json_schema
from capsule_audit.rules.spans import (
    ELLIPSIS,
    SpanContext,
    astral_offsets,
    sentence_span,
    shorten,
    utf16_span,
)
from tests.conftest import FIXTURES, SEEDS

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _js_slice(text: str, span: Span) -> str:
    """What JavaScript's `text.slice(start, end)` gives for UTF-16 offsets."""
    units = text.encode("utf-16-le")
    return units[2 * span.start : 2 * span.end].decode("utf-16-le")


def test_utf16_span_counts_astral_characters_twice() -> None:
    text = "a𝑥b😀 DOI here"
    astral = astral_offsets(text)
    assert astral == (1, 3)
    span = Span(start=5, end=8)  # "DOI"
    assert text[5:8] == "DOI"
    assert utf16_span(span, astral) == Span(start=7, end=10)
    assert _js_slice(text, utf16_span(span, astral)) == "DOI"
    assert astral_offsets("plain ascii") == ()
    assert astral_offsets("é BMP only – no astral") == ()


def test_shorten_cuts_on_a_word_with_an_ellipsis() -> None:
    text = "Self-alignment removes the reward model entirely from the training loop"
    short = shorten(text, 30)
    assert short.endswith(ELLIPSIS)
    assert text.startswith(short.removesuffix(ELLIPSIS))
    assert short.removesuffix(ELLIPSIS).split()[-1] in text.split()  # a whole word, not "alignmen"
    assert shorten("short", 30) == "short"


def test_sentence_span_holds_the_fragment_and_stops_at_sentence_ends() -> None:
    text = "First sentence. The DOI doi:10.1/x is cited here. Last one.\nNext line."
    start = text.index("doi:")
    whole = sentence_span(text, Span(start=start, end=start + 10))
    assert text[whole.start : whole.end] == "The DOI doi:10.1/x is cited here."


@pytest.fixture(scope="module")
def seeds() -> Report:
    return audit([str(SEEDS)], AuditConfig(now=NOW), keep_records=True)


def _texts(report: Report) -> dict[str, str]:
    return {r.id: r.text for r in report.records}


def _check_spans(report: Report) -> int:
    """Every span in findings: quote == text[span], UTF-16 slice == same text; returns the count."""
    texts = _texts(report)
    checked = 0
    for f in report.findings:
        for e in f.evidence:
            if e.span is None:
                continue
            text = texts[e.capsule]
            assert e.text == text[e.span.start : e.span.end], (f.rule, e.capsule)
            assert e.span_utf16 is not None
            assert _js_slice(text, e.span_utf16) == e.text
            if e.sentence is not None:
                assert e.sentence_span is not None and e.sentence_span_utf16 is not None
                assert e.sentence == text[e.sentence_span.start : e.sentence_span.end]
                assert e.sentence_span.start <= e.span.start and e.span.end <= e.sentence_span.end
                assert _js_slice(text, e.sentence_span_utf16) == e.sentence
            checked += 1
        where = f.location
        assert where.capsule is None or where.capsule in f.capsules, f.rule
        if where.span is not None and where.field == "text":
            assert where.capsule in f.capsules
            assert where.span_utf16 is not None
            text = texts[where.capsule]
            assert _js_slice(text, where.span_utf16) == text[where.span.start : where.span.end]
    return checked


def test_seed_evidence_equals_text_at_its_span_in_both_units(seeds: Report) -> None:
    assert _check_spans(seeds) >= 47
    located = [f for f in seeds.findings if f.location.span is not None and f.location.field == "text"]
    texts = _texts(seeds)
    for f in located:
        span = f.location.span
        assert f.location.capsule is not None and span is not None
        assert f.location.text == texts[f.location.capsule][span.start : span.end]


def _by_rule(report: Report, code: str) -> list[Finding]:
    return [f for f in report.findings if f.rule == code]


@pytest.mark.parametrize("code", ["CA401", "CA402"])
def test_group_conflicts_locate_their_first_quote(seeds: Report, code: str) -> None:
    for f in _by_rule(seeds, code):
        first = next(e for e in f.evidence if e.span is not None)
        assert f.location.span == first.span
        assert f.location.capsule == first.capsule
        source = next(r.source for r in seeds.records if r.id == first.capsule)
        assert f.location.file == source.path
        assert all(e.claim in f.claims for e in f.evidence)


def test_cut_word_is_quoted_alone_with_its_sentence(seeds: Report) -> None:
    cut = [f for f in _by_rule(seeds, "CA501") if "word cut" in f.message]
    assert cut
    (e,) = cut[0].evidence
    assert e.text == "Optimiz"
    assert e.sentence is not None and "Recursive Gradient Optimiz in production" in e.sentence


def test_uncited_claims_are_quoted_whole(seeds: Report) -> None:
    # The quote used to stop at 200 characters, mid-word.
    lengths = [e.span.end - e.span.start for f in _by_rule(seeds, "CA504") for e in f.evidence if e.span]
    assert max(lengths) > 200
    for f in _by_rule(seeds, "CA504"):
        assert not any(e.text.endswith(ELLIPSIS) for e in f.evidence)


def _capsule(text: str, uuid: str, name: str) -> dict[str, object]:
    return {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": f"https://forgecascade.org/public/capsules/{uuid}",
        "name": name,
        "dateCreated": "2026-04-12T00:00:00Z",
        "text": text,
    }


def test_astral_text_gives_utf16_spans_that_javascript_can_slice(tmp_path: Path) -> None:
    body = (
        "## Key Findings\n- 🚀 The 𝑥-scaling method 𝔸 (XSM) from the University of Toronto "
        "cut costs by 35% [arXiv:2604.01234](https://arxiv.org/abs/2604.01234).\n"
        "- A team at Stanford University introduced XSM 😀, cutting memory by 20% "
        "[arXiv:2604.01234](https://arxiv.org/abs/2604.01234).\n"
        "- The DOI doi:10.1038/s41563-026-01234-3 in Nature Machine Intelligence 🧪 is cited.\n"
    )
    path = tmp_path / "caps.jsonl"
    lines = [
        _capsule(body, "00000000-0000-4000-8000-000000000001", "A"),
        _capsule(body.replace("Toronto", "Oxford"), "00000000-0000-4000-8000-000000000002", "B"),
    ]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    report = audit([str(path)], AuditConfig(now=NOW), keep_records=True)
    assert _check_spans(report) > 0
    assert any(
        e.span_utf16 is not None and e.span is not None and e.span_utf16 != e.span
        for f in report.findings
        for e in f.evidence
    ), "no span after an astral character: the test would prove nothing"


def test_rule_fixtures_keep_the_span_invariants() -> None:
    for case in sorted((FIXTURES / "rules").glob("*/*")):
        _check_spans(audit([str(case)], AuditConfig(now=NOW), keep_records=True))


def test_report_schema_says_how_spans_count() -> None:
    schema = report_json_schema()
    assert schema["description"].count("UTF-16") >= 1
    defs = schema["$defs"]
    for model in ("Location", "Evidence"):
        properties = defs[model]["properties"]
        assert "code points" in properties["span"]["description"]
        assert "UTF-16" in properties["span_utf16"]["description"]
    assert "code points" in defs["Span"]["description"]


class _Holder:
    """A group member that counts how often its source is made (a credit makes it when read)."""

    made = 0

    def __init__(self, capsule: str, astral: tuple[int, ...]) -> None:
        self.capsule, self.astral = capsule, astral

    @property
    def source(self) -> SourceRef:
        _Holder.made += 1
        return SourceRef(path=f"{self.capsule}.json")


def test_a_group_span_context_makes_only_the_sources_asked_for() -> None:
    # A METHOD group places 750,000 capsules; a finding quotes a dozen: their sources alone are made.
    _Holder.made = 0
    holders = [_Holder(f"c{n}", (n,)) for n in range(1000)] + [_Holder("c5", (99,))]
    context = SpanContext.of_members(holders)
    assert _Holder.made == 0
    assert context.astral("c7") == (7,) and context.astral("c5") == (5,)  # its first member's
    assert context.astral("c7", "name") is None  # a name's offsets need its text, not at hand
    source = context.source("c7")
    assert source is not None and source.path == "c7.json"
    assert context.source("c7") is source and context.source("nowhere") is None
    assert _Holder.made == 1
