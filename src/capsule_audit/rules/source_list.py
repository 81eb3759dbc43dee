"""CA206-CA207: the Sources list: entries cut off or unparseable, and the list against the text."""

from __future__ import annotations

from collections.abc import Iterator

from capsule_audit.identifiers.cited import Cited, bound_keys, cited_identifiers, text_location
from capsule_audit.models.claims import Binding
from capsule_audit.models.findings import Severity
from capsule_audit.rules import construct
from capsule_audit.rules.base import RuleContext, Scope, Subject, Violation, rule
from capsule_audit.rules.identifiers import cited_violation


@rule(code="CA206", name="truncated-source", severity=Severity.WARNING, scope=Scope.CAPSULE)
def truncated_source(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """A Sources entry or a cited identifier is cut off or cannot be parsed.

    ## Why this matters
    A cut identifier ("https://arxiv.org/abs/26") points nowhere; the claims bound to it are
    unsourced, and the cut usually means the exported text is incomplete.

    ## Fails
    A Sources list ending in `- https://arxiv.org/abs/26`; an entry `- see the paper by`.

    ## Passes
    Every Sources entry a whole arXiv ID, DOI or URL.
    """
    record, reported = subject.record, set()
    for entry in sorted(subject.extracted.sources, key=lambda e: e.index):
        citation = entry.citation
        if citation is not None and not (entry.truncated or citation.truncated):
            continue
        key = citation.key if citation is not None else f"source:{entry.raw.strip()}"
        reported.add(key)
        what = "cut off" if entry.truncated or citation is not None else "unparseable"
        yield Violation(
            message=f"Sources entry {entry.index + 1} is {what}: {entry.raw.strip()!r}",
            key=key,
            location=text_location(record, entry.span),
            evidence=(construct.evidence(capsule=record.id, text=entry.raw, span=entry.span),),
            identity=f"source-{entry.index}",
        )
    for cited in cited_identifiers(subject.extracted, include_sources=False):
        if cited.citation.truncated and cited.citation.key not in reported:
            yield cited_violation(subject, cited, f"cited identifier is cut off: {cited.citation.raw!r}")


_RESOLVABLE = ("arxiv", "doi", "url")


@rule(code="CA207", name="citation-source-mismatch", severity=Severity.WARNING, scope=Scope.CAPSULE)
def citation_source_mismatch(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """An identifier is cited in the text but missing from Sources, or listed but bound to no claim.

    ## Why this matters
    The Sources list is what a reader checks; a cited identifier missing from it, or a listed one
    that supports nothing, shows the list and the text were not produced together. A listed,
    unbound source is reported as info; a cited, unlisted one as a warning.

    ## Fails
    Text cites `arXiv:2604.04501`, Sources lists only `arxiv.org/abs/2604.01234`; or Sources
    lists `arxiv.org/abs/2604.01890` that no claim cites and no method takes by position.

    ## Passes
    Every cited identifier listed, every listed identifier cited (or bound by position).
    """
    extracted = subject.extracted
    listed = {
        e.citation.key: Cited(e.citation, source=e)
        for e in sorted(extracted.sources, key=lambda e: e.index)
        if e.citation is not None and not (e.truncated or e.citation.truncated)
    }
    if not listed:
        return  # no Sources list to compare with
    for cited in cited_identifiers(extracted, include_sources=False):
        c = cited.citation
        explicit = c.binding is Binding.EXPLICIT and not c.truncated
        if explicit and c.scheme in _RESOLVABLE and c.key not in listed:
            yield cited_violation(subject, cited, f"{c.key} is cited in the text but not listed in Sources")
    bound = bound_keys(extracted)
    for key, entry in listed.items():
        if key not in bound:
            yield cited_violation(
                subject, entry, f"{key} is listed in Sources but no claim cites it", Severity.INFO
            )


SOURCE_LIST_RULES = (truncated_source, citation_source_mismatch)
