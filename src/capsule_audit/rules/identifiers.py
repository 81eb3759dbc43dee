"""CA201-CA205: cited identifiers that are malformed, implausible, mismatched or invented-looking.

The Sources list (entries cut off, the list against the text: CA206-CA207) is `rules.source_list`.
"""

from __future__ import annotations

from collections.abc import Iterator

from capsule_audit.identifiers.arxiv import ArxivId, problems
from capsule_audit.identifiers.ceilings import is_implausible, sequence_ceiling
from capsule_audit.identifiers.cited import (
    Cited,
    cited_arxiv,
    cited_evidence,
    cited_identifiers,
    text_location,
)
from capsule_audit.identifiers.doi import doi_from_key, doi_problems, parse_nature
from capsule_audit.identifiers.journals import journal_for_code, journal_for_venue, venue_matches
from capsule_audit.identifiers.placeholders import placeholder_part
from capsule_audit.models.findings import Severity
from capsule_audit.rules.base import RuleContext, Scope, Subject, Violation, rule


def _whole(subject: Subject, scheme: str) -> Iterator[Cited]:
    """Cited identifiers of one scheme that are not cut off (CA206 reports those)."""
    for cited in cited_identifiers(subject.extracted):
        if cited.citation.scheme == scheme and not cited.citation.truncated:
            yield cited


def _arxiv(subject: Subject) -> Iterator[tuple[Cited, ArxivId | None]]:
    """Whole arXiv citations (None: not shaped like an ID), and arxiv.org URLs holding an ID."""
    for cited, aid in cited_arxiv(subject.extracted):
        if not cited.citation.truncated and (cited.citation.scheme == "arxiv" or aid is not None):
            yield cited, aid


def cited_violation(
    subject: Subject, cited: Cited, message: str, severity: Severity | None = None, key: str | None = None
) -> Violation:
    """A violation about one cited identifier: keyed by it, located and quoted where it stands."""
    return Violation(
        message=message,
        key=key or cited.citation.key,
        claims=(cited.claim.id,) if cited.claim is not None else (),
        location=text_location(subject.record, cited.span),
        evidence=(cited_evidence(subject.record.id, cited),),
        severity=severity,
    )


@rule(code="CA201", name="malformed-arxiv-id", severity=Severity.ERROR, scope=Scope.CAPSULE)
def malformed_arxiv_id(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """A cited arXiv identifier breaks the rules of its scheme.

    ## Why this matters
    arXiv never issues such an identifier, so the citation cannot point at a real paper: it was
    mistyped or invented. Month 13, a 4-digit sequence after 2014, sequence 0, `v0` or an
    old-style archive that never existed all mark it.

    ## Fails
    `arXiv:2613.01234` (month 13); `arXiv:2604.1234` (4 digits in 2026); `arXiv:1203.01234`
    (5 digits in 2012); `arXiv:2604.00000`; `arXiv:2604.01234v0`; `arXiv:foo-th/9901001`.

    ## Passes
    `arXiv:2604.01234v2`, `arXiv:1203.1234`, `hep-th/9901001`, `math.GT/0309136`.
    """
    for cited, aid in _arxiv(subject):
        found = problems(aid) if aid is not None else ("not shaped like an arXiv identifier",)
        if found:
            message = f"malformed arXiv identifier {cited.citation.raw}: {'; '.join(found)}"
            yield cited_violation(subject, cited, message, key=aid.key if aid is not None else None)


@rule(code="CA202", name="implausible-arxiv-sequence", severity=Severity.WARNING, scope=Scope.CAPSULE)
def implausible_arxiv_sequence(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """A cited arXiv sequence number is higher than arXiv issued in that month.

    ## Why this matters
    arXiv numbers submissions in order within a month; a sequence far above the month's volume
    (ceilings in `data/arxiv_ceilings.yaml`, never above 35,000) was not issued yet and is likely
    invented.

    ## Fails
    `arXiv:2604.38123` (above 35,000); `arXiv:2403.27000` (2024's ceiling is about 24,500).

    ## Passes
    `arXiv:2604.01234`, `arXiv:2603.30045` (the highest seen in March 2026).
    """
    for cited, aid in _arxiv(subject):
        if aid is None or problems(aid) or not is_implausible(aid):
            continue
        ceiling = sequence_ceiling(aid)
        yield cited_violation(
            subject,
            cited,
            f"arXiv sequence {int(aid.sequence)} in {aid.yymm} is above that month's ceiling of {ceiling}",
            key=aid.key,
        )


@rule(code="CA203", name="malformed-doi", severity=Severity.ERROR, scope=Scope.CAPSULE)
def malformed_doi(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """A cited DOI breaks DOI syntax (or the Nature portfolio form it imitates).

    ## Why this matters
    A malformed DOI resolves nowhere, so the claim it supports is unsourced.

    ## Fails
    `doi:10.10/abc` (prefix too short); `doi:10.1038/` (no suffix);
    `doi:10.1038/s41563-26-1234` (not `s<code>-0YY-<serial>-<check>`).

    ## Passes
    `doi:10.1038/s41563-026-01234-3`, `https://doi.org/10.1145/3290605.3300233`.
    """
    for cited in _whole(subject, "doi"):
        doi = doi_from_key(cited.citation.key) or ""
        found = doi_problems(doi)
        if found:
            yield cited_violation(subject, cited, f"malformed DOI {doi}: {'; '.join(found)}")


@rule(code="CA204", name="doi-journal-mismatch", severity=Severity.ERROR, scope=Scope.CAPSULE)
def doi_journal_mismatch(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """A Nature DOI's journal code disagrees with the journal the text names beside it.

    ## Why this matters
    The code in `10.1038/s<code>-…` fixes the journal; when the text says another journal, either
    the DOI or the venue is wrong, and the citation is unreliable.

    ## Fails
    "Nature Machine Intelligence, April 10, 2026 – doi:10.1038/s41563-026-01234-3": s41563 is
    Nature Materials. A venue that names no known journal gives a warning.

    ## Passes
    "Nature Machine Intelligence – doi:10.1038/s42256-026-00412-7"; a DOI with no venue beside it.
    """
    for cited in _whole(subject, "doi"):
        venue = cited.citation.venue
        nature = parse_nature(doi_from_key(cited.citation.key) or "")
        journal = journal_for_code(nature.code) if nature is not None else None
        if journal is None or nature is None or not venue or venue_matches(journal, venue):
            continue
        named = journal_for_venue(venue)
        severity = None if named is not None else Severity.WARNING
        yield cited_violation(
            subject,
            cited,
            f"journal code {nature.code} is {journal.name}, but the text names '{venue}'",
            severity,
        )


@rule(code="CA205", name="placeholder-identifier", severity=Severity.INFO, scope=Scope.CAPSULE)
def placeholder_identifier(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """A cited identifier has a placeholder-like serial (01234, 12345, 98765, 00000).

    ## Why this matters
    Language models inventing references reach for such serials. Real papers have them too, so
    this is a hint for the editor to check, not a verdict.

    ## Fails
    `arXiv:2604.01234`; `doi:10.1038/s41563-026-01234-3`; `https://iclr.cc/virtual_2026/poster/98765`.

    ## Passes
    `arXiv:2604.01567`; `https://icml.cc/2026/accepted-papers/paper_3421`.
    """
    for cited in cited_identifiers(subject.extracted):
        if cited.citation.truncated:
            continue
        serial = placeholder_part(cited.citation.key)
        if serial is not None:
            yield cited_violation(
                subject, cited, f"{cited.citation.key} has a placeholder-like serial {serial}"
            )


IDENTIFIER_RULES = (
    malformed_arxiv_id,
    implausible_arxiv_sequence,
    malformed_doi,
    doi_journal_mismatch,
    placeholder_identifier,
)
