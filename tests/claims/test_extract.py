"""Extraction on the five seeds, against expectations written by reading them; and properties."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from capsule_audit.claims import extract
from capsule_audit.models import CapsuleRecord, Claim, ExtractedCapsule, RecordKind, SourceRef

from .conftest import EXPECTED, seed_record

STEMS = sorted(path.stem for path in EXPECTED.glob("*.yaml"))


def _method_matches(claim: Claim, expected: str) -> bool:
    return claim.method is not None and expected in (claim.method.acronym, claim.method.name)


def _figures_match(claim: Claim, expected: list[dict[str, Any]]) -> bool:
    def one(want: dict[str, Any]) -> bool:
        return any(
            abs(figure.value - want["value"]) < 1e-9
            and figure.unit == want["unit"]
            and all(getattr(figure, name) == want[name] for name in ("measure", "direction") if name in want)
            for figure in claim.figures
        )

    return all(one(want) for want in expected)


def _citations_match(claim: Claim, expected: list[dict[str, Any]]) -> bool:
    def one(want: dict[str, Any]) -> bool:
        return any(
            citation.key == want["key"]
            and all(str(getattr(citation, name)) == str(want[name]) for name in want if name != "key")
            for citation in claim.citations
        )

    return all(one(want) for want in expected)


def _satisfies(claim: Claim, want: dict[str, Any]) -> bool:
    checks = [
        "section" not in want or claim.section == want["section"],
        want.get("implication", False) == claim.implication,
        "method" not in want or _method_matches(claim, want["method"]),
        set(want.get("institutions", [])) <= set(claim.institutions),
        set(want.get("authors", [])) <= set(claim.authors),
        _figures_match(claim, want.get("figures", [])),
        _citations_match(claim, want.get("citations", [])),
    ]
    return all(checks)


@pytest.fixture(scope="module", params=STEMS)
def case(request: pytest.FixtureRequest) -> tuple[CapsuleRecord, ExtractedCapsule, dict[str, Any]]:
    record = seed_record(request.param)
    expected = yaml.safe_load((EXPECTED / f"{request.param}.yaml").read_text("utf-8"))
    return record, extract(record), expected


def test_expected_claims_are_found(case: tuple[CapsuleRecord, ExtractedCapsule, dict[str, Any]]) -> None:
    _, extracted, expected = case
    for want in expected.get("claims", []):
        candidates = [claim for claim in extracted.claims if want["fragment"] in claim.text]
        assert candidates, f"no claim contains {want['fragment']!r}"
        assert any(_satisfies(claim, want) for claim in candidates), (want, candidates)
    for fragment in expected.get("absent", []):
        assert not any(fragment in claim.text for claim in extracted.claims)
    assert len(extracted.claims) >= expected.get("min_claims", 1)


def test_methods_sources_and_dates(case: tuple[CapsuleRecord, ExtractedCapsule, dict[str, Any]]) -> None:
    _, extracted, expected = case
    if "methods" in expected:
        got = [(m.ordinal, m.acronym, m.has_body) for m in extracted.methods]
        assert got == [(m["ordinal"], m["acronym"], m["has_body"]) for m in expected["methods"]]
    for name in expected.get("method_names", []):
        assert any(name in (m.acronym, m.name) for m in extracted.methods), name
    if "sources" in expected:
        assert len(extracted.sources) == len(expected["sources"])
        for entry, want in zip(extracted.sources, expected["sources"], strict=True):
            assert entry.truncated == want.get("truncated", False)
            if "key" in want:
                assert entry.citation is not None and entry.citation.key == want["key"]
                assert entry.citation.binding == want["binding"]
    if "sections" in expected:
        assert list(extracted.sections) == expected["sections"]
    assert extracted.as_of == expected["as_of"]
    if "name_as_of" in expected:
        assert extracted.name_as_of == expected["name_as_of"]
    assert extracted.stated_source_count == expected.get("stated_source_count")


def test_spans_point_at_the_claim_text(case: tuple[CapsuleRecord, ExtractedCapsule, dict[str, Any]]) -> None:
    record, extracted, _ = case
    for claim in extracted.claims:
        assert claim.capsule == record.id
        if not claim.cleaned:
            assert record.text[claim.span.start : claim.span.end] == claim.text
        for citation in claim.citations:
            assert citation.span is not None
            assert record.text[citation.span.start : citation.span.end] == citation.raw
        for figure in claim.figures:
            assert figure.span is not None
            assert record.text[figure.span.start : figure.span.end] == figure.raw
    assert len({claim.id for claim in extracted.claims}) == len(extracted.claims)


def test_extraction_is_deterministic() -> None:
    record = seed_record(STEMS[0])
    assert extract(record) == extract(record)
    moved = record.model_copy(update={"source": SourceRef(path="elsewhere.json")})
    assert [c.id for c in extract(moved).claims] == [c.id for c in extract(record).claims]


def test_claim_ids_depend_on_the_capsule() -> None:
    record = seed_record(STEMS[0])
    other = record.model_copy(update={"id": record.id + "-copy"})
    assert not {c.id for c in extract(record).claims} & {c.id for c in extract(other).claims}


_PIECES = [
    *'ab A.1%()*_[]#-–é\n :/"•@',
    "## Sources\n",
    "- 1. **X (ABC)**\n",
    "arXiv:",
    "https://arxiv.org/abs/",
]
_PIECES += ["10.1038/", "Source: ", "As of April 1, 2026", "\ud800", "3. ", "> ", "```"]
_MARKDOWNISH = st.lists(st.sampled_from(_PIECES), max_size=80).map("".join)


def _check(text: str, kind: RecordKind) -> None:
    record = CapsuleRecord(id="urn:test", kind=kind, text=text, source=SourceRef(path="-"))
    extracted = extract(record)
    spans = [claim.span for claim in extracted.claims]
    spans += [c.span for claim in extracted.claims for c in claim.citations if c.span]
    spans += [entry.span for entry in extracted.sources] + [method.span for method in extracted.methods]
    for span in spans:
        assert 0 <= span.start <= span.end <= len(text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400), st.sampled_from(list(RecordKind)))
def test_never_raises_on_arbitrary_text(text: str, kind: RecordKind) -> None:
    _check(text, kind)


@settings(max_examples=150, deadline=None)
@given(_MARKDOWNISH, st.sampled_from(list(RecordKind)))
def test_never_raises_on_markdownish_text(text: str, kind: RecordKind) -> None:
    _check(text, kind)


def test_dates_are_dates() -> None:
    assert extract(seed_record(STEMS[0])).as_of == dt.date(2026, 4, 12)


def test_a_header_with_digits_or_punctuation_opens_its_own_method() -> None:
    """T5's and LLM.int8()'s sources are theirs, not the method item's before them."""
    text = (
        "## Key Findings\n"
        "**1. Bidirectional Encoder Representations from Transformers (BERT)**\n\n"
        "BERT pre-trains deep bidirectional encoders. Source: arXiv:1810.04805\n\n"
        "**2. Text-to-Text Transfer Transformer (T5)**\n\n"
        "T5 casts every task as text to text. Source: arXiv:1910.10683\n\n"
        "**3. LLM.int8()**\n\n"
        "Eight-bit matrix multiplication for large transformers. Source: arXiv:2208.07339\n\n"
        "**4. phi-4**\n\n"
        "A small model trained on synthetic data. Source: arXiv:2412.08905\n"
    )
    record = CapsuleRecord(id="urn:test", text=text, source=SourceRef(path="-"))
    extracted = extract(record)
    credited = {
        c.key: (claim.method.acronym or claim.method.name) if claim.method else None
        for claim in extracted.claims
        for c in claim.citations
    }
    assert credited == {
        "arxiv:1810.04805": "BERT",
        "arxiv:1910.10683": "T5",
        "arxiv:2208.07339": "LLM.int8()",
        "arxiv:2412.08905": "phi-4",
    }


def test_a_method_heading_opens_one_method_item_with_its_body() -> None:
    text = (
        "## Key Findings\n\n### 2. Structured State Space Sequence model (S4)\n\n"
        "Stanford's S4 parameterizes state matrices for long-range dependencies.\n"
    )
    extracted = extract(CapsuleRecord(id="urn:test", text=text, source=SourceRef(path="-")))
    assert [(m.acronym, m.has_body) for m in extracted.methods] == [("S4", True)]
