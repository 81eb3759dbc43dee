"""arXiv parsing and the scheme's rules."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capsule_audit.identifiers.arxiv import assigned_month, parse_arxiv, problems


@pytest.mark.parametrize(
    ("text", "key", "version"),
    [
        ("arXiv:2604.01234", "arxiv:2604.01234", None),
        ("https://arxiv.org/abs/2604.01234v2", "arxiv:2604.01234", "2"),
        ("arxiv.org/pdf/2604.01234.pdf", "arxiv:2604.01234", None),
        ("http://export.arxiv.org/abs/2604.01234", "arxiv:2604.01234", None),
        ("10.48550/arXiv.2604.01234", "arxiv:2604.01234", None),
        ("hep-th/9901001", "arxiv:hep-th/9901001", None),
        ("math.GT/0309136v3", "arxiv:math.GT/0309136", "3"),
    ],
)
def test_parses_every_accepted_form(text: str, key: str, version: str | None) -> None:
    aid = parse_arxiv(text)
    assert aid is not None
    assert aid.key == key
    assert aid.version == version
    assert problems(aid) == ()


@pytest.mark.parametrize(
    "text", ["", "hello", "2604", "10.1038/s41563-026-01234-3", "https://example.org/2604.01234"]
)
def test_non_arxiv_text_is_none(text: str) -> None:
    assert parse_arxiv(text) is None


@pytest.mark.parametrize(
    ("text", "version", "needle"),
    [
        ("2613.01234", None, "month"),
        ("2600.01234", None, "month"),
        ("2604.1234", None, "digit"),
        ("1203.01234", None, "digit"),
        ("0612.1234", None, "predates"),
        ("2604.00000", None, "sequence 0"),
        ("2604.01234", "v0", "v0"),
        ("2604.01234", "v02", "leading zero"),
        ("2604.01234", "vx", "not a number"),
        ("foo-th/9901001", None, "archive"),
        ("hep-th/0801001", None, "old scheme"),
    ],
)
def test_malformed_ids_name_their_problem(text: str, version: str | None, needle: str) -> None:
    aid = parse_arxiv(text, version)
    assert aid is not None
    assert any(needle in p for p in problems(aid))


@pytest.mark.parametrize("text", ["1412.9999", "1501.00001", "0704.0001", "9108001".join(["hep-th/", ""])])
def test_era_boundaries_are_well_formed(text: str) -> None:
    aid = parse_arxiv(text)
    assert aid is not None and problems(aid) == ()


def test_assigned_month_and_old_century() -> None:
    new, old = parse_arxiv("2604.01234"), parse_arxiv("hep-th/9901001")
    assert new is not None and old is not None
    assert assigned_month(new) == date(2026, 4, 1)
    assert assigned_month(old) == date(1999, 1, 1)
    bad = parse_arxiv("2613.01234")
    assert bad is not None and assigned_month(bad) is None


@given(st.text(max_size=40), st.one_of(st.none(), st.text(max_size=6)))
def test_any_text_parses_without_raising(text: str, version: str | None) -> None:
    aid = parse_arxiv(text, version)
    if aid is not None:
        problems(aid)
        assigned_month(aid)


@given(st.integers(7, 99), st.integers(1, 12), st.integers(1, 99999), st.integers(1, 30))
def test_well_formed_new_ids_round_trip(yy: int, mm: int, seq: int, ver: int) -> None:
    yymm = f"{yy:02d}{mm:02d}"
    if int(yymm) < 704:
        return
    digits = 4 if int(yymm) <= 1412 else 5
    if seq >= 10**digits:
        return
    aid = parse_arxiv(f"arXiv:{yymm}.{seq:0{digits}d}v{ver}")
    assert aid is not None and problems(aid) == ()
    assert aid.key == f"arxiv:{yymm}.{seq:0{digits}d}"
