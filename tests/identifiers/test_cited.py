"""Collecting a capsule's cited identifiers once each."""

from __future__ import annotations

from capsule_audit.identifiers.cited import arxiv_of, bound_keys, cited_arxiv, cited_identifiers
from capsule_audit.models.claims import Binding, ExtractedCapsule
from tests.identifiers.builders import A, cite, claim, source


def test_claims_first_then_unbound_sources_each_key_once() -> None:
    c1 = claim(A, "SARIR …", citations=[cite("arxiv:2604.01234")], start=10)
    c2 = claim(A, "again", citations=[cite("arxiv:2604.01234")], start=50)
    extracted = ExtractedCapsule(
        capsule=A,
        claims=(c2, c1),
        sources=(source(1, cite("arxiv:2604.01890")), source(0, cite("arxiv:2604.01234"))),
    )
    found = cited_identifiers(extracted)
    assert [(c.citation.key, c.claim.id if c.claim else None) for c in found] == [
        ("arxiv:2604.01234", c1.id),
        ("arxiv:2604.01890", None),
    ]
    assert [c.citation.key for c in cited_identifiers(extracted, include_sources=False)] == [
        "arxiv:2604.01234"
    ]


def test_bound_keys_leave_out_listed_citations() -> None:
    extracted = ExtractedCapsule(
        capsule=A,
        claims=(
            claim(A, "x", citations=[cite("arxiv:2604.01234", binding=Binding.POSITIONAL)]),
            claim(A, "y", citations=[cite("arxiv:2604.01890", binding=Binding.LISTED)]),
        ),
    )
    assert bound_keys(extracted) == {"arxiv:2604.01234"}


def test_arxiv_of_reads_arxiv_keys_and_arxiv_urls_only() -> None:
    v0 = arxiv_of(cite("url:https://arxiv.org/abs/2604.01234v0"))
    assert v0 is not None and v0.key == "arxiv:2604.01234" and v0.version == "0"
    assert arxiv_of(cite("url:https://arxiv.org/list/cs.CL")) is None
    assert arxiv_of(cite("url:https://example.org/abs/2604.01234")) is None
    assert arxiv_of(cite("doi:10.1038/x")) is None
    assert arxiv_of(cite("arxiv:nonsense")) is None


def test_cited_arxiv_pairs_every_cited_identifier_with_its_parsed_arxiv_id() -> None:
    extracted = ExtractedCapsule(
        capsule=A,
        claims=(claim(A, "x", citations=[cite("arxiv:2604.01234", version="v2"), cite("doi:10.1038/x")]),),
        sources=(source(0, cite("url:https://arxiv.org/abs/2605.00321")),),
    )
    found = cited_arxiv(extracted)
    assert [cited for cited, _ in found] == list(cited_identifiers(extracted))
    assert [aid.key if aid else None for _, aid in found] == ["arxiv:2604.01234", None, "arxiv:2605.00321"]
    assert found[0][1] is not None and found[0][1].version == "2"
    assert cited_arxiv(extracted) is found  # parsed once per capsule


def test_answers_follow_the_capsule_asked_about() -> None:
    one = ExtractedCapsule(capsule=A, claims=(claim(A, "x", citations=[cite("arxiv:2604.01234")]),))
    other = ExtractedCapsule(capsule=A, sources=(source(0, cite("arxiv:2605.00321")),))
    for _ in range(2):
        assert [c.citation.key for c in cited_identifiers(one)] == ["arxiv:2604.01234"]
        assert cited_identifiers(other, include_sources=False) == ()
        assert [c.citation.key for c in cited_identifiers(other)] == ["arxiv:2605.00321"]
        assert [aid.key for _, aid in cited_arxiv(one) if aid] == ["arxiv:2604.01234"]
