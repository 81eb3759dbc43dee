"""CA601-CA602 on hand-built digests."""

from __future__ import annotations

from capsule_audit.models.records import RecordKind
from capsule_audit.rules.digest import unlisted_digest_sources, unresolvable_digest_credits
from tests.identifiers.builders import A, cite, claim, record, run, source, subject

DIGEST = record(kind=RecordKind.DIGEST)


def test_ca601_stated_count_without_sources() -> None:
    assert len(run(unlisted_digest_sources, subject(DIGEST, stated_source_count=29))) == 1


def test_ca601_listed_sources_or_no_count_pass() -> None:
    assert (
        run(
            unlisted_digest_sources,
            subject(DIGEST, stated_source_count=1, sources=(source(0, cite("arxiv:2604.01567")),)),
        )
        == []
    )
    assert run(unlisted_digest_sources, subject(DIGEST)) == []
    assert run(unlisted_digest_sources, subject(DIGEST, stated_source_count=0)) == []


def test_ca602_titles_and_handles_only() -> None:
    claims = [
        claim(A, 'In "Goodhart\'s Revenge" …', citations=[cite("title:goodhart's revenge")]),
        claim(A, "highlighted by @lvwerra", authors=["@lvwerra"], start=40),
        claim(A, "no credit here", start=80),
    ]
    found = run(unresolvable_digest_credits, subject(DIGEST, claims=claims))
    assert len(found) == 1
    assert set(found[0].claims) == {claims[0].id, claims[1].id}


def test_ca602_passes_with_a_resolvable_identifier_or_for_capsules() -> None:
    claims = [
        claim(A, "titled", citations=[cite("title:x")]),
        claim(A, "arxiv", citations=[cite("arxiv:2604.01567")], start=20),
    ]
    assert run(unresolvable_digest_credits, subject(DIGEST, claims=claims)) == []
    assert run(unresolvable_digest_credits, subject(claims=claims[:1])) == []
    assert run(unresolvable_digest_credits, subject(DIGEST)) == []
