"""`collect`: what verify reads per identifier, walking a tuple several claims share once per capsule.

A verdict reads, of the claims citing a key, only their methods and institutions (and each
citation's binding and truncation): `collect` must give every such combination, and no more work
than the claims and their distinct tuples.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from capsule_audit.claims.extract import extract
from capsule_audit.models.claims import ExtractedCapsule, MethodRef
from capsule_audit.online.verify import collect
from tests.rules.capsules import record
from tests.work import LINEAR, growth


def _sourced_item(n: int) -> str:
    # Lines alternate: a sentence citing its own paper, a Source line of the item.
    lines = "".join(
        f"   Result {i} holds arXiv:2601.{i:05d}.\n" if i % 2 == 0 else f"   Source: arXiv:2602.{i:05d}\n"
        for i in range(n)
    )
    return f"## Methods\n\n1. **Method Alpha (MA)**\n{lines}   Finding {n} is stated.\n"


Seen = set[tuple[str, MethodRef | None, tuple[str, ...], str]]


def _every_claim(extracted: ExtractedCapsule) -> Seen:
    """(key, method, institutions, binding) of every claim carrying each key: what 1.x walked."""
    return {
        (c.key, claim.method, claim.institutions, c.binding.value)
        for claim in extracted.claims
        for c in claim.all_citations
    }


def _collected(extracted: ExtractedCapsule) -> Seen:
    return {
        (key, place.claim.method, place.claim.institutions, place.citation.binding.value)
        for key, places in collect([extracted]).items()
        for place in places
        if place.claim is not None
    }


def test_collect_gives_every_method_and_institutions_a_key_is_credited_with() -> None:
    # A sentence outside the item names its acronym and an institution: it shares the item's
    # Source lines, with credits of its own, which are kept.
    text = _sourced_item(12) + "\n## Implications\n\nMA from MIT holds arXiv:2603.00001.\n"
    extracted = extract(record(text=text))
    assert {claim.item_sources for claim in extracted.claims if claim.item_sources} == {
        extracted.claims[0].item_sources
    }
    assert len({claim.institutions for claim in extracted.claims}) == 2
    assert _collected(extracted) == _every_claim(extracted)
    places = collect([extracted])
    # A Source line's key: the first claim per tuple and institutions (the item's Source lines
    # twice, its every citation once for the sentence citing nothing), not every claim of the item.
    assert len(places["arxiv:2602.00001"]) == 3
    assert len(places["arxiv:2601.00002"]) == 2  # the sentence citing it, the one citing nothing


def test_collect_walks_each_shared_tuple_once_per_capsule() -> None:
    def make(size: int) -> Callable[[], Any]:
        extracted = extract(record(text=_sourced_item(size)))
        return lambda: collect([extracted])

    assert growth(make, 40) < LINEAR
