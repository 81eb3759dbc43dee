"""A method item's claims that cite nothing share the item's citations: stored once, rebuilt shared."""

from __future__ import annotations

from capsule_audit.claims.extract import extract
from capsule_audit.rules.base import GroupKind, Subject
from capsule_audit.rules.index import members_for
from capsule_audit.store.groups import GroupIndex
from capsule_audit.store.result import StoredClaims
from capsule_audit.store.rows import claim_rows
from tests.rules.capsules import record

ITEM = (
    "## Methods\n\n1. **Method Alpha (MA)**\n"
    "   Result 0 holds arXiv:2601.00001. Finding 1 is stated. Result 2 holds arXiv:2601.00002. "
    "Finding 3 is stated.\n   Source: https://example.org/alpha\n\n"
    "## Key Findings\n\nMA improves task 4.\n"
)


def _subject() -> Subject:
    rec = record(text=ITEM)
    return Subject(record=rec, extracted=extract(rec))


def test_claims_sharing_the_items_citations_are_written_once() -> None:
    claims = _subject().extracted.claims
    rows = claim_rows(claims)
    # Claims 1, 3 (citing nothing) and 4 (naming the acronym) carry the item's every citation.
    assert [(row[-2] is None, row[-1]) for row in rows] == [
        (False, None),
        (False, None),
        (False, None),
        (True, 1),
        (True, 1),
    ]
    assert claims[1].citations is claims[3].citations is claims[4].citations
    assert [c.key for c in claims[1].citations] == [
        "arxiv:2601.00001",
        "arxiv:2601.00002",
        "url:https://example.org/alpha",
    ]


def test_groups_and_listed_claims_give_back_the_same_claims_sharing_one_tuple() -> None:
    subject = _subject()
    claims = subject.extracted.claims
    with GroupIndex() as index:
        index.extend(members_for(subject, frozenset(GroupKind)))
        rebuilt = {
            m.claim.id: m.claim
            for group in index.groups([GroupKind.CITATION], min_members=1)
            for m in group.members
            if m.claim is not None
        }
        listed = list(StoredClaims(index.store))
    assert listed == list(claims)
    assert listed[1].citations is listed[3].citations is listed[4].citations
    assert {claim.id: claim for claim in claims if claim.citations} == rebuilt
    assert rebuilt[claims[1].id].citations is rebuilt[claims[4].id].citations
