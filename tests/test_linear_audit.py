"""The whole audit (load, extract, every rule) costs work linear in the input on the inputs of
issue 14: each case writes a document of size n and 8n and compares counted work (`tests.work`).
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from capsule_audit import api
from capsule_audit.config import AuditConfig
from tests.work import LINEAR, growth

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _link(i: int) -> str:
    return f"[arXiv:2601.{i:05d}](https://arxiv.org/abs/2601.{i:05d})"


def _capsule(text: str) -> str:
    return orjson.dumps(
        {
            "@context": "https://schema.org",
            "@type": "CreativeWork",
            "@id": "https://forgecascade.org/public/capsules/11111111-2222-4333-8444-555555555555",
            "name": "Linear",
            "text": text,
        }
    ).decode()


def _method_bullets(n: int) -> str:
    return "Digest title\n\n" + "".join(
        f"• Method Number{i} (MNA{i}): it improves results by {i} points.\n" for i in range(n)
    )


def _made_up_word(k: int) -> str:
    rng = random.Random(k)
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9))).capitalize()


def _deep_learning_bullets(n: int) -> str:
    # Distinct names sharing their long opening words, all in one method group:
    # 'Deep Learning <three made-up words run together> (DLk)' (issue 14).
    words = [_made_up_word(k) for k in range(3 * n)]
    return "Digest title\n\n" + "".join(
        f"• Deep Learning {words[3 * i]}{words[3 * i + 1].lower()}{words[3 * i + 2].lower()} (DL{i}): "
        "it improves results.\n"
        for i in range(n)
    )


def _digest_citing(n: int) -> str:
    return "Digest title\n\n" + "".join(f"• Result {i} holds ({_link(i)}).\n" for i in range(n))


def _capsule_citing(n: int) -> str:
    return _capsule("## Key Findings\n\n" + " ".join(f"Result {i} holds {_link(i)}." for i in range(n)))


def _cited_method_item(n: int) -> str:
    sentences = " ".join(f"Result {i} holds {_link(i)}." for i in range(n))
    return _capsule(
        f"## Methods\n\n1. **Method Alpha (MA)**\n   {sentences}\n   Source: https://example.org/alpha\n"
    )


def _alternating_method_item(n: int) -> str:
    # Every other sentence cites nothing and inherits every citation of the item.
    sentences = " ".join(
        f"Result {i} holds {_link(i)}." if i % 2 == 0 else f"Finding {i} is stated." for i in range(n)
    )
    return _capsule(
        f"## Methods\n\n1. **Method Alpha (MA)**\n   {sentences}\n   Source: https://example.org/alpha\n"
    )


def _sourced_method_item(n: int) -> str:
    # Lines alternate: a sentence citing its own paper, a Source line of the item.
    lines = "".join(
        f"   Result {i} holds {_link(i)}.\n" if i % 2 == 0 else f"   Source: https://example.org/s{i}\n"
        for i in range(n)
    )
    return _capsule(f"## Methods\n\n1. **Method Alpha (MA)**\n{lines}")


def _mentioned_method_item(n: int) -> str:
    # The item cites n papers; n sentences outside it name its acronym and are about it.
    cited = " ".join(f"Result {i} holds {_link(i)}." for i in range(n))
    mentions = " ".join(f"MA improves task {i}." for i in range(n))
    return _capsule(f"## Methods\n\n1. **Method Alpha (MA)**\n   {cited}\n\n## Key Findings\n\n{mentions}\n")


CASES: dict[str, tuple[Callable[[int], str], str, int]] = {
    "digest with N 'Name (ACR)' bullets": (_method_bullets, "md", 150),
    "digest with N 'Deep Learning <www> (ACR)' bullets": (_deep_learning_bullets, "md", 150),
    "digest with N bullets, each citing its own source": (_digest_citing, "md", 50),
    "capsule with N sentences, each citing its own source": (_capsule_citing, "json", 50),
    "capsule whose method item has N sentences, each citing its own source": (_cited_method_item, "json", 50),
    "capsule whose method item has N sentences, every other one citing nothing": (
        _alternating_method_item,
        "json",
        50,
    ),
    "capsule whose method item alternates N cited sentences and Source lines": (
        _sourced_method_item,
        "json",
        50,
    ),
    "capsule with N acronym mentions of a method item citing N papers": (_mentioned_method_item, "json", 50),
}


_INHERITING = {_alternating_method_item, _sourced_method_item, _mentioned_method_item}


@pytest.mark.parametrize("case", sorted(CASES))
def test_audit_work_grows_linearly(case: str, tmp_path: Path) -> None:
    build, suffix, n = CASES[case]

    def make(size: int) -> Callable[[], Any]:
        path = tmp_path / f"input-{size}.{suffix}"
        path.write_text(build(size), encoding="utf-8")
        return lambda: api.audit([str(path)], AuditConfig(now=NOW))

    assert growth(make, n) < LINEAR


def test_the_cases_audit_what_they_should(tmp_path: Path) -> None:
    # Each input is what its name says: every bullet or sentence a claim, each citing one source
    # (in the method item, its own and the item's Source line).
    for build, suffix, _ in CASES.values():
        if build in _INHERITING:
            continue
        path = tmp_path / f"input.{suffix}"
        path.write_text(build(40), encoding="utf-8")
        report = api.audit([str(path)], AuditConfig(now=NOW))
        assert report.summary.claims == 40
        if build is _cited_method_item:
            assert all(len(claim.all_citations) == 2 and claim.method for claim in report.claims)
        elif build not in (_method_bullets, _deep_learning_bullets):
            assert all(len(claim.citations) == 1 for claim in report.claims)


def _claim_citations(build: Callable[[int], str], n: int, tmp_path: Path) -> list[tuple[str, int]]:
    """(text, number of citations, its item's Source lines among them) of each claim of the
    input, all about method MA."""
    path = tmp_path / "input.json"
    path.write_text(build(n), encoding="utf-8")
    report = api.audit([str(path)], AuditConfig(now=NOW))
    assert all(claim.method is not None and claim.method.acronym == "MA" for claim in report.claims)
    # Each tuple a claim shares with others is one object, not a copy per claim.
    assert len({id(claim.item_sources) for claim in report.claims if claim.item_sources}) <= 1
    return [(claim.text, len(claim.all_citations), len(claim.item_sources)) for claim in report.claims]


def test_the_inheriting_cases_audit_what_they_should(tmp_path: Path) -> None:
    # A sentence citing nothing carries the item's every citation (20 sentences' and the Source
    # line); one citing its own keeps it and shares the item's Source lines; a mention is about
    # the item.
    alternating = _claim_citations(_alternating_method_item, 40, tmp_path)
    assert [(n, sources) for _, n, sources in alternating] == [(2, 1), (21, 0)] * 20
    sourced = _claim_citations(_sourced_method_item, 40, tmp_path)
    assert [(n, sources) for _, n, sources in sourced] == [(21, 20)] * 20
    mentioned = _claim_citations(_mentioned_method_item, 40, tmp_path)
    assert [n for text, n, _ in mentioned if text.startswith("MA improves")] == [40] * 40
    assert len(mentioned) == 80
