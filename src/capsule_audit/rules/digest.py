"""CA6xx: digest pages whose sources cannot be checked."""

from __future__ import annotations

from collections.abc import Iterator

from capsule_audit.claims.digest import source_count_span
from capsule_audit.identifiers.cited import text_location
from capsule_audit.models.findings import Severity
from capsule_audit.models.records import RecordKind
from capsule_audit.rules import construct
from capsule_audit.rules.base import RuleContext, Scope, Subject, Violation, rule

_RESOLVABLE = frozenset({"arxiv", "doi", "url"})
_MAX_EVIDENCE = 5  # enough to show the pattern; the count is in the message


@rule(code="CA601", name="unlisted-digest-sources", severity=Severity.WARNING, scope=Scope.CAPSULE)
def unlisted_digest_sources(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """A page states how many sources it has ("Sources (29)") but lists none.

    ## Why this matters
    The count suggests the claims are sourced, yet a reader (or this tool) cannot check a single
    one: the export dropped the list, or it never existed.

    ## Fails
    A digest ending "Sources (29)" / "Updated Mar 9, 2026" with no source lines after it.

    ## Passes
    "Sources (2)" followed by two URLs; a page that states no count.
    """
    extracted = subject.extracted
    count = extracted.stated_source_count
    if count is None or count <= 0 or extracted.sources:
        return
    yield Violation(
        message=f"states {count} sources but lists none",
        location=text_location(subject.record, source_count_span(subject.record.text)),
        identity="stated-count",
    )


@rule(code="CA602", name="unresolvable-digest-credits", severity=Severity.INFO, scope=Scope.CAPSULE)
def unresolvable_digest_credits(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """A digest credits its claims only to titles or handles, none resolvable offline.

    ## Why this matters
    'In "Goodhart's Revenge"…' or 'highlighted by @lvwerra' name a source without an identifier;
    nothing can be verified offline, and titles invented by a model look just like real ones.
    Reported once per digest, with examples.

    ## Fails
    A digest whose claims cite only quoted titles and @handles, with no arXiv ID, DOI or URL.

    ## Passes
    A digest with at least one arXiv ID, DOI or URL; a digest that credits nobody.
    """
    record, extracted = subject.record, subject.extracted
    if record.kind is not RecordKind.DIGEST:
        return
    resolvable = any(
        c.scheme in _RESOLVABLE and not c.truncated for claim in extracted.claims for c in claim.all_citations
    ) or any(e.citation is not None and e.citation.scheme in _RESOLVABLE for e in extracted.sources)
    if resolvable:
        return
    credited = [
        claim
        for claim in sorted(extracted.claims, key=lambda c: (c.span.start, c.id))
        if claim.authors or any(c.scheme == "title" for c in claim.all_citations)
    ]
    if not credited:
        return
    titles = sorted({c.key for claim in credited for c in claim.all_citations if c.scheme == "title"})
    handles = sorted({a for claim in credited for a in claim.authors})
    yield Violation(
        message=(
            f"{len(credited)} claims are credited only to titles ({len(titles)}) or people and "
            f"handles ({len(handles)}); none can be resolved offline"
        ),
        claims=tuple(c.id for c in credited),
        location=text_location(record, credited[0].span),
        evidence=tuple(
            construct.evidence(
                capsule=record.id, text=record.text[c.span.start : c.span.end], span=c.span, claim=c.id
            )
            for c in credited[:_MAX_EVIDENCE]
        ),
        identity="credits",
    )


DIGEST_RULES = (unlisted_digest_sources, unresolvable_digest_credits)
