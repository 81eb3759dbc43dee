"""Which citations the claims of a method item carry: a sentence citing its own sources keeps
them and shares the item's `Source:` lines; a sentence citing nothing carries every citation of
the item."""

from __future__ import annotations

from capsule_audit.claims import extract
from capsule_audit.models import Binding, CapsuleRecord, ExtractedCapsule, SourceRef

ALPHA = "url:https://example.org/alpha"


def _extract(text: str) -> ExtractedCapsule:
    return extract(CapsuleRecord(id="urn:test", text=text, source=SourceRef(path="-")))


def _citations_by_text(extracted: ExtractedCapsule) -> dict[str, list[str]]:
    return {claim.text: [c.key for c in claim.all_citations] for claim in extracted.claims}


def test_a_cited_sentence_keeps_its_own_and_the_source_lines_an_uncited_one_inherits_all() -> None:
    extracted = _extract(
        "## Methods\n\n1. **Method Alpha (MA)**\n"
        "   MA halves the error arXiv:2601.00001. It runs on one GPU arXiv:2601.00002.\n"
        "   It needs no labels.\n"
        "   Source: https://example.org/alpha\n"
        "   It scales to long inputs arXiv:2601.00003.\n"
    )
    assert _citations_by_text(extracted) == {
        "MA halves the error arXiv:2601.00001.": ["arxiv:2601.00001", ALPHA],
        "It runs on one GPU arXiv:2601.00002.": ["arxiv:2601.00002", ALPHA],
        "It needs no labels.": ["arxiv:2601.00001", "arxiv:2601.00002", ALPHA, "arxiv:2601.00003"],
        "It scales to long inputs arXiv:2601.00003.": ["arxiv:2601.00003", ALPHA],
    }
    assert {claim.method.acronym for claim in extracted.claims if claim.method} == {"MA"}
    # The cited sentences hold their own citations and share one tuple of the item's Source lines.
    cited = [claim for claim in extracted.claims if claim.item_sources]
    assert [[c.key for c in claim.citations] for claim in cited] == [
        ["arxiv:2601.00001"],
        ["arxiv:2601.00002"],
        ["arxiv:2601.00003"],
    ]
    assert {id(claim.item_sources) for claim in cited} == {id(cited[0].item_sources)}
    assert [c.key for c in cited[0].item_sources] == [ALPHA]


def test_a_sentence_citing_a_source_line_s_key_keeps_one_citation_of_it() -> None:
    extracted = _extract(
        "## Methods\n\n1. **Method Alpha (MA)**\n"
        "   MA halves the error arXiv:2601.00001.\n"
        "   Source: arXiv:2601.00001, NeurIPS 2025\n"
        "   Source: https://example.org/alpha\n"
    )
    (claim,) = extracted.claims
    (own,) = claim.citations
    # Its own citation (the sentence's span), the venue the Source line states filled in.
    assert (own.key, own.venue) == ("arxiv:2601.00001", "NeurIPS 2025")
    assert own.span is not None and own.span.start < claim.span.end
    assert [c.key for c in claim.item_sources] == ["arxiv:2601.00001", ALPHA]
    assert [c.key for c in claim.all_citations] == ["arxiv:2601.00001", ALPHA]


def test_without_a_source_line_a_cited_sentence_carries_only_its_own() -> None:
    extracted = _extract(
        "## Methods\n\n1. **Method Alpha (MA)**\n"
        "   MA halves the error arXiv:2601.00001. It needs no labels.\n\n"
        "2. **Method Beta (MB)**\n"
        "   MB doubles the speed arXiv:2601.00002.\n"
    )
    assert _citations_by_text(extracted) == {
        "MA halves the error arXiv:2601.00001.": ["arxiv:2601.00001"],
        "It needs no labels.": ["arxiv:2601.00001"],
        "MB doubles the speed arXiv:2601.00002.": ["arxiv:2601.00002"],
    }


def test_a_sentence_naming_the_item_elsewhere_is_bound_the_same_way() -> None:
    extracted = _extract(
        "## Methods\n\n1. **Method Alpha (MA)**\n"
        "   MA halves the error arXiv:2601.00001.\n"
        "   Source: https://example.org/alpha\n\n"
        "## Implications\n\n"
        "MA was reproduced arXiv:2601.00009. MA is popular.\n"
    )
    assert _citations_by_text(extracted) == {
        "MA halves the error arXiv:2601.00001.": ["arxiv:2601.00001", ALPHA],
        "MA was reproduced arXiv:2601.00009.": ["arxiv:2601.00009", ALPHA],
        "MA is popular.": ["arxiv:2601.00001", ALPHA],
    }


def test_every_source_an_item_cites_is_still_bound_explicitly() -> None:
    extracted = _extract(
        "## Methods\n\n1. **Method Alpha (MA)**\n"
        "   MA halves the error arXiv:2601.00001. It runs on one GPU arXiv:2601.00002.\n"
        "   Source: https://example.org/alpha\n\n"
        "## Sources\n\n- arXiv:2601.00001\n- arXiv:2601.00002\n- https://example.org/alpha\n"
        "- arXiv:2601.00007\n"
    )
    bindings = {entry.citation.key: entry.citation.binding for entry in extracted.sources if entry.citation}
    assert bindings == {
        "arxiv:2601.00001": Binding.EXPLICIT,
        "arxiv:2601.00002": Binding.EXPLICIT,
        ALPHA: Binding.EXPLICIT,
        "arxiv:2601.00007": Binding.LISTED,
    }


def test_positional_sources_still_go_to_every_sentence_of_their_item() -> None:
    extracted = _extract(
        "## Methods\n\n1. **Method Alpha (MA)**\n   MA halves the error. It needs no labels.\n\n"
        "2. **Method Beta (MB)**\n   MB doubles the speed.\n\n"
        "## Sources\n\n- arXiv:2601.00001\n- arXiv:2601.00002\n"
    )
    carried = {claim.text: [(c.key, c.binding) for c in claim.citations] for claim in extracted.claims}
    assert carried == {
        "MA halves the error.": [("arxiv:2601.00001", Binding.POSITIONAL)],
        "It needs no labels.": [("arxiv:2601.00001", Binding.POSITIONAL)],
        "MB doubles the speed.": [("arxiv:2601.00002", Binding.POSITIONAL)],
    }
