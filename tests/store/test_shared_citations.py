"""A method item's claims share tuples of citations: those citing nothing the item's every citation,
those citing their own its Source lines. Each is stored once and rebuilt shared."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from capsule_audit import api
from capsule_audit.claims.extract import extract
from capsule_audit.config import AuditConfig
from capsule_audit.models.report import Report
from capsule_audit.rules.base import GroupKind, Subject
from capsule_audit.rules.index import members_for
from capsule_audit.store import groups
from capsule_audit.store.groups import GroupIndex
from capsule_audit.store.result import StoredClaims
from capsule_audit.store.rows import claim_rows
from tests.rules.capsules import NOW, capsule_id, record

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
    # Claims 1, 3 (citing nothing) and 4 (naming the acronym) carry the item's every citation;
    # claims 0 and 2 (citing their own) its Source line.
    assert [(row[-4] is None, row[-3] is None, row[-2], row[-1]) for row in rows] == [
        (False, False, None, None),
        (False, False, None, None),
        (False, True, None, 0),
        (True, False, 1, None),
        (True, False, 1, None),
    ]
    assert claims[1].citations is claims[3].citations is claims[4].citations
    assert claims[0].item_sources is claims[2].item_sources
    assert [c.key for c in claims[0].item_sources] == ["url:https://example.org/alpha"]
    assert [c.key for c in claims[1].citations] == [
        "arxiv:2601.00001",
        "arxiv:2601.00002",
        "url:https://example.org/alpha",
    ]


def test_only_the_first_of_the_claims_sharing_citations_files_them() -> None:
    subject = _subject()
    claims = subject.extracted.claims
    entries = list(members_for(subject, frozenset({GroupKind.CITATION})))
    # Claims 3 and 4 have claim 1's citations, method and institutions: claim 1 stands for them;
    # claim 0 files the Source line for itself and claim 2.
    filed = sorted((m.claim.id, key) for _, key, m in entries if m.claim is not None)
    assert filed == sorted(
        [
            (claims[0].id, "arxiv:2601.00001"),
            (claims[0].id, "url:https://example.org/alpha"),
            (claims[1].id, "arxiv:2601.00001"),
            (claims[1].id, "arxiv:2601.00002"),
            (claims[1].id, "url:https://example.org/alpha"),
            (claims[2].id, "arxiv:2601.00002"),
        ]
    )


def test_groups_and_listed_claims_give_back_the_same_claims_sharing_one_tuple() -> None:
    subject = _subject()
    claims = subject.extracted.claims
    with GroupIndex() as index:
        index.extend(members_for(subject, frozenset(GroupKind)))
        groups = list(index.groups(min_members=1))
        # One batch's claims (the acronym's group holds all five): a batch shares its tuples.
        (acronym,) = [g for g in groups if g.kind is GroupKind.ACRONYM]
        rebuilt = {m.claim.id: m.claim for m in acronym.members if m.claim is not None}
        # The Source line's entry is filed once, with claim 0, as one of its item sources.
        (line,) = [g for g in groups if g.key == "url:https://example.org/alpha"]
        assert [(m.claim.id if m.claim else None, m.citation) for m in line.members] == sorted(
            [(claims[0].id, claims[0].item_sources[0]), (claims[1].id, claims[1].citations[2])],
            key=lambda pair: pair[0] or "",
        )
        listed = list(StoredClaims(index.store))
    assert listed == list(claims)
    assert listed[1].citations is listed[3].citations is listed[4].citations
    assert listed[0].item_sources is listed[2].item_sources
    assert {claim.id: claim for claim in claims} == rebuilt
    assert rebuilt[claims[1].id].citations is rebuilt[claims[4].id].citations
    assert rebuilt[claims[0].id].item_sources is rebuilt[claims[2].id].item_sources


@pytest.mark.parametrize("slice_rows", [1, 2, 3])
def test_a_batch_turned_into_values_a_slice_at_a_time_rebuilds_the_same_shared_claims(
    slice_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The claims sharing a tuple and the claim holding it fall in different slices.
    subject = _subject()
    claims = subject.extracted.claims
    monkeypatch.setattr(groups, "SLICE_ROWS", slice_rows)
    with GroupIndex() as index:
        index.extend(members_for(subject, frozenset(GroupKind)))
        (acronym,) = index.groups([GroupKind.ACRONYM], min_members=1)  # one group, every claim
        rebuilt = {m.claim.id: m.claim for m in acronym.members if m.claim}
    assert rebuilt == {claim.id: claim for claim in claims}
    assert (
        rebuilt[claims[1].id].citations is rebuilt[claims[3].id].citations is rebuilt[claims[4].id].citations
    )
    assert rebuilt[claims[0].id].item_sources is rebuilt[claims[2].id].item_sources


def _capsule(n: int, text: str) -> str:
    return orjson.dumps(
        {
            "@context": "https://schema.org",
            "@type": "CreativeWork",
            "@id": capsule_id(n),
            "name": f"C{n}",
            "text": text,
        }
    ).decode()


def _clustered_and_conflicting(report: Report, key: str) -> list[str]:
    """The ids of the claims carrying `key`, after checking that the key's cluster lists each of
    them and that CA401 finds capsules 1 and 2 in conflict on it, crediting capsule 1's earliest."""
    carriers = {c.id: c for c in report.claims if key in {one.key for one in c.all_citations}}
    (cluster,) = [c for c in report.clusters if c.key == key]
    assert [(m.capsule, m.claim) for m in cluster.members] == sorted(
        (c.capsule, c.id) for c in carriers.values()
    )
    conflicts = [f for f in report.findings if f.rule == "CA401" and f.key == key]
    assert [f.capsules for f in conflicts] == [(capsule_id(1), capsule_id(2))]
    # Capsule 1's credit is its earliest claim carrying the identifier, as when every claim filed it.
    first = min((c for c in carriers.values() if c.capsule == capsule_id(1)), key=lambda c: c.span.start)
    assert first.id in conflicts[0].claims
    return sorted(carriers)


def test_a_conflict_and_a_cluster_on_an_inherited_citation_are_those_of_every_claim(tmp_path: Path) -> None:
    # Capsule 1 credits arXiv:2601.00001 to MA, through the claims of MA's item (one citing it,
    # two citing nothing, one naming MA); capsule 2 to another method.
    path = tmp_path / "dump.ndjson"
    other = "## Methods\n\n1. **Other Beta (OB)**\n   OB holds arXiv:2601.00001.\n"
    path.write_text(_capsule(1, ITEM) + "\n" + _capsule(2, other) + "\n", encoding="utf-8")
    carriers = _clustered_and_conflicting(api.audit([str(path)], AuditConfig(now=NOW)), "arxiv:2601.00001")
    assert len(carriers) == 5  # capsule 1: the citing claim, two citing nothing, the mention


def test_a_method_credited_through_an_items_shared_citations_still_conflicts(tmp_path: Path) -> None:
    # CA403 reads a tuple shared by several claims of a capsule once; capsule 1 credits MA to its
    # item's papers, capsule 2 to another one.
    path = tmp_path / "dump.ndjson"
    other = "## Methods\n\n1. **Method Alpha (MA)**\n   MA holds arXiv:2605.00007.\n"
    path.write_text(_capsule(1, ITEM) + "\n" + _capsule(2, other) + "\n", encoding="utf-8")
    report = api.audit([str(path)], AuditConfig(now=NOW))
    (finding,) = [f for f in report.findings if f.rule == "CA403"]
    assert finding.capsules == (capsule_id(1), capsule_id(2))


def test_a_conflict_and_a_cluster_on_an_items_source_line_are_those_of_every_claim(tmp_path: Path) -> None:
    # Capsule 1 credits the Source line's URL to MA through the claims citing their own papers
    # (claim 0 holds the line, claims 2 and 4 share it, claim 4 cites it itself too), and through
    # those citing nothing; capsule 2 to another method.
    path = tmp_path / "dump.ndjson"
    item = ITEM.replace(
        "Finding 3 is stated.", "Finding 3 is stated. Result 5 holds https://example.org/alpha."
    )
    other = "## Methods\n\n1. **Other Beta (OB)**\n   OB holds https://example.org/alpha.\n"
    path.write_text(_capsule(1, item) + "\n" + _capsule(2, other) + "\n", encoding="utf-8")
    carriers = _clustered_and_conflicting(
        api.audit([str(path)], AuditConfig(now=NOW)), "url:https://example.org/alpha"
    )
    assert len(carriers) == 7  # capsule 1: 3 citing their own, 3 inheriting; capsule 2's one
