"""Extraction costs work linear in the text, on the inputs that once made it quadratic.

Each case builds a text of size n and 8n and compares counted work (`tests.work`), not time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from capsule_audit.claims import extract
from capsule_audit.models.records import CapsuleRecord, RecordKind, SourceRef
from tests.work import LINEAR, growth

ID = "https://forgecascade.org/public/capsules/linear"


def _record(text: str, kind: RecordKind = RecordKind.CAPSULE) -> CapsuleRecord:
    return CapsuleRecord(id=ID, kind=kind, text=text, source=SourceRef(path="linear.json"))


def _digest_of_named_bullets(n: int) -> CapsuleRecord:
    bullets = "".join(f"• Method Number{i} (MNA{i}): it improves results by {i} points.\n" for i in range(n))
    return _record("Digest title\n\n" + bullets, RecordKind.DIGEST)


def _repeated_sentence(n: int) -> CapsuleRecord:
    return _record(" ".join(["We found that the model improves accuracy."] * n))


def _methods_then_implications(n: int) -> CapsuleRecord:
    items = "".join(f"{i + 1}. **Method Number {i} (MN{i}X)**\n\nIt works.\n\n" for i in range(n))
    implications = " ".join(f"This matters for case {i}." for i in range(n))
    return _record(f"## Methods\n\n{items}## Implications\n\n{implications}")


def _titles_and_identifiers(n: int) -> CapsuleRecord:
    return _record(
        "We cite " + " ".join(f'"Some Long Title Number {i}" 10.1234/x{i}' for i in range(n)) + "."
    )


def _cited_method_item(n: int) -> CapsuleRecord:
    sentences = " ".join(f"Result {i} holds arXiv:2601.{i:05d}." for i in range(n))
    return _record(
        f"## Methods\n\n1. **Method Alpha (MA)**\n   {sentences}\n   Source: https://example.org/alpha\n"
    )


def _bracket_run(n: int) -> CapsuleRecord:
    return _record("We found " + "[" * n + " things.")


CASES: dict[str, tuple[Callable[[int], CapsuleRecord], int]] = {
    "digest with N 'Name (ACR)' bullets": (_digest_of_named_bullets, 100),
    "one sentence repeated N times": (_repeated_sentence, 100),
    "N method items, then N implication sentences": (_methods_then_implications, 60),
    "N quoted titles between N identifiers": (_titles_and_identifiers, 100),
    "a run of N '['": (_bracket_run, 2000),
    "a method item of N sentences, each citing its own source": (_cited_method_item, 50),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_extraction_work_grows_linearly(case: str) -> None:
    build, n = CASES[case]

    def make(size: int) -> Callable[[], Any]:
        record = build(size)
        return lambda: extract(record)

    assert growth(make, n) < LINEAR


def test_the_cases_extract_what_they_should() -> None:
    # The inputs are what their names say: every bullet and repetition is a claim, each bullet
    # bound to its own system, each repeat with its own id.
    digest = extract(_digest_of_named_bullets(50))
    assert len(digest.claims) == 50
    assert [claim.method.name.split(" (")[0] if claim.method else None for claim in digest.claims] == [
        f"Method Number{i}" for i in range(50)
    ]
    repeated = extract(_repeated_sentence(50))
    assert len({claim.id for claim in repeated.claims}) == 50
    item = extract(_cited_method_item(50))
    assert len(item.claims) == 50
    assert all(claim.method is not None and claim.method.acronym == "MA" for claim in item.claims)
    assert all(len(claim.all_citations) == 2 for claim in item.claims)  # its own and the Source line
