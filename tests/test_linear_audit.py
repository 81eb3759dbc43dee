"""The whole audit (load, extract, every rule) costs work linear in the input on the inputs of
issue 14: each case writes a document of size n and 8n and compares counted work (`tests.work`).
"""

from __future__ import annotations

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


def _digest_citing(n: int) -> str:
    return "Digest title\n\n" + "".join(f"• Result {i} holds ({_link(i)}).\n" for i in range(n))


def _capsule_citing(n: int) -> str:
    return _capsule("## Key Findings\n\n" + " ".join(f"Result {i} holds {_link(i)}." for i in range(n)))


def _cited_method_item(n: int) -> str:
    sentences = " ".join(f"Result {i} holds {_link(i)}." for i in range(n))
    return _capsule(
        f"## Methods\n\n1. **Method Alpha (MA)**\n   {sentences}\n   Source: https://example.org/alpha\n"
    )


CASES: dict[str, tuple[Callable[[int], str], str, int]] = {
    "digest with N 'Name (ACR)' bullets": (_method_bullets, "md", 150),
    "digest with N bullets, each citing its own source": (_digest_citing, "md", 50),
    "capsule with N sentences, each citing its own source": (_capsule_citing, "json", 50),
    "capsule whose method item has N sentences, each citing its own source": (_cited_method_item, "json", 50),
}


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
        path = tmp_path / f"input.{suffix}"
        path.write_text(build(40), encoding="utf-8")
        report = api.audit([str(path)], AuditConfig(now=NOW))
        assert report.summary.claims == 40
        if build is _cited_method_item:
            assert all(len(claim.citations) == 2 and claim.method for claim in report.claims)
        elif build is not _method_bullets:
            assert all(len(claim.citations) == 1 for claim in report.claims)
