"""CA201-CA207 on hand-built subjects."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capsule_audit.models.claims import Binding, Citation
from capsule_audit.models.findings import Severity
from capsule_audit.rules.base import Subject
from capsule_audit.rules.identifiers import (
    IDENTIFIER_RULES,
    doi_journal_mismatch,
    implausible_arxiv_sequence,
    malformed_arxiv_id,
    malformed_doi,
    placeholder_identifier,
)
from capsule_audit.rules.source_list import SOURCE_LIST_RULES, citation_source_mismatch, truncated_source
from tests.identifiers.builders import A, cite, claim, keys, run, source, subject


def _citing(*citations: Citation) -> Subject:
    return subject(claims=[claim(A, "A method. Source: …", citations=citations)])


@pytest.mark.parametrize(
    ("key", "version", "expected"),
    [
        ("arxiv:2613.01234", None, "arxiv:2613.01234"),
        ("arxiv:2604.1234", None, "arxiv:2604.1234"),
        ("arxiv:2604.00000", None, "arxiv:2604.00000"),
        ("arxiv:2604.01234", "v0", "arxiv:2604.01234"),
        ("url:https://arxiv.org/abs/2604.01234v0", None, "arxiv:2604.01234"),
        ("url:https://arxiv.org/abs/foo-th/9901001", None, "arxiv:foo-th/9901001"),
    ],
)
def test_ca201_flags_malformed_ids_under_their_arxiv_key(
    key: str, version: str | None, expected: str
) -> None:
    found = run(malformed_arxiv_id, _citing(cite(key, version=version)))
    assert keys(found) == [expected]
    assert found[0].claims and found[0].evidence[0].capsule == A


@pytest.mark.parametrize(
    "key", ["arxiv:2604.01234", "arxiv:hep-th/9901001", "url:https://arxiv.org/list/cs.CL"]
)
def test_ca201_passes_well_formed_ids(key: str) -> None:
    assert run(malformed_arxiv_id, _citing(cite(key, version="v2"))) == []


def test_ca201_leaves_truncated_ids_to_ca206() -> None:
    assert run(malformed_arxiv_id, _citing(cite("arxiv:26", truncated=True))) == []


def test_ca202_flags_sequences_above_the_ceiling_only() -> None:
    s = _citing(cite("arxiv:2604.38123"), cite("arxiv:2603.30045"), cite("arxiv:2613.99999"))
    assert keys(run(implausible_arxiv_sequence, s)) == ["arxiv:2604.38123"]


def test_ca203_flags_malformed_dois() -> None:
    s = _citing(
        cite("doi:10.10/abc"), cite("doi:10.1038/s41563-026-01234-3"), cite("doi:10.1038/s41563-26-1")
    )
    assert keys(run(malformed_doi, s)) == ["doi:10.10/abc", "doi:10.1038/s41563-26-1"]


def test_ca204_seed_002_materials_code_named_machine_intelligence_is_an_error() -> None:
    key = "doi:10.1038/s41563-026-01234-3"
    found = run(doi_journal_mismatch, _citing(cite(key, venue="Nature Machine Intelligence")))
    assert keys(found) == [key]
    assert found[0].severity is None  # the rule's default: error


def test_ca204_unknown_venue_is_a_warning_and_matching_or_missing_venues_pass() -> None:
    unknown = run(
        doi_journal_mismatch, _citing(cite("doi:10.1038/s41563-026-01567-3", venue="Journal of Stuff"))
    )
    assert [v.severity for v in unknown] == [Severity.WARNING]
    clean = _citing(
        cite("doi:10.1038/s42256-026-00412-7", venue="Nature Machine Intelligence"),
        cite("doi:10.1038/s41563-026-00999-1"),
        cite("doi:10.1145/3290605.3300233", venue="CHI"),
        cite("doi:10.1038/s99999-026-00999-1", venue="Nature"),
    )
    assert run(doi_journal_mismatch, clean) == []


def test_ca205_flags_placeholder_serials_in_every_scheme() -> None:
    s = subject(
        claims=[claim(A, "x", citations=[cite("arxiv:2604.01234"), cite("arxiv:2604.01567")])],
        sources=(source(0, cite("url:https://iclr.cc/virtual_2026/poster/98765")),),
    )
    assert keys(run(placeholder_identifier, s)) == [
        "arxiv:2604.01234",
        "url:https://iclr.cc/virtual_2026/poster/98765",
    ]


def test_ca206_seed_001_cut_source_and_unparseable_entries() -> None:
    s = subject(
        sources=(
            source(0, cite("arxiv:2604.01234")),
            source(1, cite("arxiv:26", truncated=True), raw="https://arxiv.org/abs/26", truncated=True),
            source(2, None, raw="see the paper by"),
        )
    )
    found = run(truncated_source, s)
    assert keys(found) == ["arxiv:26", "source:see the paper by"]
    assert len({v.identity for v in found}) == 2


def test_ca206_truncated_claim_citation_is_reported_once() -> None:
    cut = cite("arxiv:2604.0", truncated=True)
    s = subject(claims=[claim(A, "x", citations=[cut])], sources=(source(0, cut, truncated=True),))
    assert keys(run(truncated_source, s)) == ["arxiv:2604.0"]


def test_ca206_passes_whole_sources() -> None:
    assert run(truncated_source, subject(sources=(source(0, cite("arxiv:2604.01234")),))) == []


def test_ca207_cited_but_unlisted_warns_listed_but_unbound_informs() -> None:
    s = subject(
        claims=[claim(A, "x", citations=[cite("arxiv:2604.01234"), cite("arxiv:2604.04501")])],
        sources=(source(0, cite("arxiv:2604.01234")), source(1, cite("arxiv:2604.01890"))),
    )
    found = {v.key: v.severity for v in run(citation_source_mismatch, s)}
    assert found == {"arxiv:2604.04501": None, "arxiv:2604.01890": Severity.INFO}


def test_ca207_positional_bindings_count_as_bound_and_no_sources_list_means_no_finding() -> None:
    positional = subject(
        claims=[claim(A, "x", citations=[cite("arxiv:2604.01234", binding=Binding.POSITIONAL)])],
        sources=(source(0, cite("arxiv:2604.01234")),),
    )
    assert run(citation_source_mismatch, positional) == []
    no_list = subject(claims=[claim(A, "x", citations=[cite("arxiv:2604.04501")])])
    assert run(citation_source_mismatch, no_list) == []


_SCHEMES = st.sampled_from(["arxiv:", "doi:", "url:", "title:"])


@given(_SCHEMES, st.text(max_size=30), st.one_of(st.none(), st.text(max_size=30)), st.booleans())
def test_any_citation_is_data_never_a_crash(scheme: str, rest: str, venue: str | None, cut: bool) -> None:
    c = cite(scheme + rest, venue=venue, truncated=cut)
    s = subject(claims=[claim(A, "x", citations=[c])], sources=(source(0, c, truncated=cut), source(1, None)))
    for rule_ in (*IDENTIFIER_RULES, *SOURCE_LIST_RULES):
        for v in run(rule_, s):
            assert v.message
