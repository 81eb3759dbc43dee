"""Models built without validation equal what validation makes of the same data."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capsule_audit.claims import extract
from capsule_audit.claims.construct import replace, span
from capsule_audit.models import CapsuleRecord, ExtractedCapsule, RecordKind, SourceRef
from capsule_audit.models.claims import Binding, Citation

from .conftest import SEEDS, seed_record

_PIECES = [
    *'ab A.1%()*_[]#-–é\n :/"“”•@x',
    "## Key Findings\n",
    "## Sources\n",
    "## Implications\n",
    "- 1. **X Method (ABC)**\n",
    "**2. Other Name (OTH)**\n",
    "arXiv:2604.01234",
    "https://arxiv.org/abs/2604.0",
    "https://doi.org/10.1038/x",
    "Source: ",
    " 12% higher MMLU score",
    " reduces cost by 35%",
    " 70B parameters",
    " 3x faster",
    "Nature, April 10, 2026 ",
    "Google DeepMind",
    "Prof. Ann Lee @someone",
    "As of April 1, 2026",
]
_MARKDOWNISH = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)


def _assert_revalidates(extracted: ExtractedCapsule) -> None:
    revalidated = ExtractedCapsule.model_validate(extracted.model_dump())
    assert revalidated == extracted
    assert repr(revalidated) == repr(extracted)


@pytest.mark.parametrize("stem", sorted(path.stem for path in SEEDS.glob("*.txt")))
def test_seed_extractions_revalidate(stem: str) -> None:
    _assert_revalidates(extract(seed_record(stem)))


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(max_size=300), _MARKDOWNISH), st.sampled_from(list(RecordKind)))
def test_arbitrary_extractions_revalidate(text: str, kind: RecordKind) -> None:
    record = CapsuleRecord(id="urn:test", kind=kind, text=text, source=SourceRef(path="-"))
    _assert_revalidates(extract(record))


def test_replace_matches_model_copy() -> None:
    citation = Citation(scheme="arxiv", key="arxiv:2604.01234", raw="arXiv:2604.01234")
    changes = {"binding": Binding.POSITIONAL, "confidence": 0.5, "span": span(1, 17)}
    assert replace(citation, **changes) == citation.model_copy(update=changes)


def test_negative_spans_fail_like_validation() -> None:
    with pytest.raises(ValueError):
        span(-1, 3)
