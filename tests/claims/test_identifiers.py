"""Normalizing single identifiers: forms are recognized, plausibility is not judged."""

from __future__ import annotations

import pytest

from capsule_audit.claims.citations import normalize_identifier


@pytest.mark.parametrize(
    ("raw", "key", "version"),
    [
        ("https://arxiv.org/pdf/2604.01234v2.pdf", "arxiv:2604.01234", "v2"),
        ("arXiv:2604.01234", "arxiv:2604.01234", None),
        ("arxiv.org/abs/2604.01234v3", "arxiv:2604.01234", "v3"),
        ("https://export.arxiv.org/abs/2604.01234", "arxiv:2604.01234", None),
        ("10.48550/arXiv.2604.01234", "arxiv:2604.01234", None),
        ("https://doi.org/10.48550/arXiv.2604.01234", "arxiv:2604.01234", None),
        ("hep-th/9901001", "arxiv:hep-th/9901001", None),
        ("math.GT/0309136", "arxiv:math.GT/0309136", None),
        ("doi:10.1038/S41563-026-01234-3", "doi:10.1038/s41563-026-01234-3", None),
        ("https://dx.doi.org/10.1000/ABC.1", "doi:10.1000/abc.1", None),
        ("https://www.nature.com/articles/s41563-026-01234-3", "doi:10.1038/s41563-026-01234-3", None),
        ("https://www.Example.org/a/b/#part", "url:https://example.org/a/b", None),
        ("arXiv:2613.99999", "arxiv:2613.99999", None),  # month 13: implausible, still extracted
        ("arXiv:2604.01234v0", "arxiv:2604.01234", "v0"),  # no version 0 exists: CA201 says so
        ("arXiv:2604.01234v02", "arxiv:2604.01234", "v02"),  # a leading zero: likewise
        ("hep-th/9901001v0", "arxiv:hep-th/9901001", "v0"),
    ],
)
def test_forms_normalize(raw: str, key: str, version: str | None) -> None:
    citation = normalize_identifier(raw)
    assert citation is not None
    assert (citation.key, citation.version, citation.truncated) == (key, version, False)
    assert citation.raw == raw


def test_cut_off_arxiv_url_is_kept_truncated() -> None:
    citation = normalize_identifier("https://arxiv.org/abs/26")
    assert citation is not None and citation.truncated and citation.scheme == "arxiv"


@pytest.mark.parametrize("raw", ["", "   ", "not an identifier", "2.0"])
def test_non_identifiers_give_none(raw: str) -> None:
    assert normalize_identifier(raw) is None
