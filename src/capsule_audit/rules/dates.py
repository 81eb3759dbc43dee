"""CA3xx: dates that contradict each other, the cited identifiers, or the audit clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

from capsule_audit.claims.dates import written_date
from capsule_audit.identifiers.arxiv import assigned_month
from capsule_audit.identifiers.cited import cited_arxiv, cited_evidence, cited_identifiers, text_location
from capsule_audit.identifiers.doi import doi_from_key, parse_nature
from capsule_audit.models.findings import Severity
from capsule_audit.rules.base import RuleContext, Scope, Subject, Violation, rule
from capsule_audit.rules.declared import RuleOption


def _capsule_date(subject: Subject) -> tuple[date, str] | None:
    """The date the capsule speaks from: dateCreated, else the 'As of' date of its text or name."""
    record, extracted = subject.record, subject.extracted
    if record.date_created is not None:
        return record.date_created.date(), "the capsule's dateCreated"
    if extracted.as_of is not None:
        return extracted.as_of, "the 'As of' date of its text"
    if extracted.name_as_of is not None:
        return extracted.name_as_of, "the 'As of' date of its name"
    return None


@rule(code="CA301", name="citation-after-capsule-date", severity=Severity.ERROR, scope=Scope.CAPSULE)
def citation_after_capsule_date(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """A cited identifier was assigned after the capsule was written.

    ## Why this matters
    An arXiv identifier's `YYMM` is the month it was assigned, and a Nature DOI's `0YY` the year it
    was made; a capsule dated earlier cannot cite it, so the citation was invented or the date is
    wrong. The capsule's date is `dateCreated`, else the "As of" date of its text.

    ## Fails
    A capsule created 2026-03-28 citing `arXiv:2604.01234`; a capsule "As of April 12, 2025"
    citing `doi:10.1038/s41563-026-01234-3`.

    ## Passes
    A capsule created 2026-04-12 citing `arXiv:2604.01234` (same month).
    """
    dated = _capsule_date(subject)
    if dated is None:
        return
    when, which = dated
    for cited, parsed in cited_arxiv(subject.extracted):
        key = cited.citation.key
        if cited.citation.truncated:
            continue
        # `parsed` may carry the citation's version, which does not change the month.
        aid = parsed if cited.citation.scheme == "arxiv" else None
        month = assigned_month(aid) if aid is not None else None
        nature = parse_nature(doi_from_key(key) or "")
        if month is not None and (month.year, month.month) > (when.year, when.month):
            made = f"assigned in {month:%Y-%m}"
        elif nature is not None and nature.year > when.year:
            made = f"made in {nature.year}"
        else:
            continue
        yield Violation(
            message=f"{key} was {made}, after {which} {when.isoformat()}",
            key=key,
            claims=(cited.claim.id,) if cited.claim is not None else (),
            location=text_location(subject.record, cited.span),
            evidence=(cited_evidence(subject.record.id, cited),),
        )


@rule(code="CA302", name="modified-before-created", severity=Severity.ERROR, scope=Scope.CAPSULE)
def modified_before_created(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """`dateModified` is earlier than `dateCreated`.

    ## Why this matters
    A record cannot change before it exists; one of the two timestamps is wrong, and every rule
    that reasons from the capsule's date inherits the error.

    ## Fails
    `dateCreated` 2026-04-12T07:11:18Z, `dateModified` 2026-04-01T00:00:00Z.

    ## Passes
    `dateModified` equal to or after `dateCreated`; either one missing.
    """
    record = subject.record
    if record.date_created is None or record.date_modified is None:
        return
    if record.date_modified < record.date_created:
        yield Violation(
            message=(
                f"dateModified {record.date_modified.isoformat()} is before "
                f"dateCreated {record.date_created.isoformat()}"
            ),
            location=text_location(record, None, field="dateModified"),
        )


@rule(
    code="CA303",
    name="as-of-date-mismatch",
    severity=Severity.WARNING,
    scope=Scope.CAPSULE,
    options=(RuleOption("tolerance_days", "number", 2, 'Days an "As of" date may differ by.'),),
)
def as_of_date_mismatch(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """The "As of" date in the name or text differs from `dateCreated` (or from each other).

    ## Why this matters
    The "As of" date says when the capsule's knowledge stops; far from `dateCreated`, one of them
    misleads the reader about how current the claims are. Tolerance: threshold
    `CA303.tolerance_days` (default 2).

    ## Fails
    `dateCreated` 2026-04-12 with text "As of March 1, 2026"; no `dateCreated`, name "As of April
    11, 2026" and text "As of April 20, 2026".

    ## Passes
    `dateCreated` 2026-04-12 with "As of April 12, 2026" (or April 11).
    """
    record, extracted = subject.record, subject.extracted
    tolerance = ctx.threshold("CA303.tolerance_days", 2)
    stated = (("text", extracted.as_of), ("name", extracted.name_as_of))
    if record.date_created is not None:
        base, base_label = record.date_created.date(), "dateCreated"
        pairs = [(where, when) for where, when in stated if when is not None]
    elif extracted.as_of is not None and extracted.name_as_of is not None:
        base, base_label = extracted.name_as_of, "the name's 'As of' date"
        pairs = [("text", extracted.as_of)]
    else:
        return
    for where, when in pairs:
        if abs((when - base).days) > tolerance:
            yield Violation(
                message=(
                    f"'As of {when.isoformat()}' in the {where} is {abs((when - base).days)} days "
                    f"from {base_label} {base.isoformat()} (tolerance {tolerance:g})"
                ),
                location=text_location(record, None, field=where),
                identity=where,
            )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


@rule(code="CA304", name="future-date", severity=Severity.ERROR, scope=Scope.CAPSULE)
def future_date(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """A date is after the audit clock (`--now`).

    ## Why this matters
    Nothing can be created, modified, current "as of", or published in the future; such a date is
    a generation error and breaks every other date check.

    ## Fails
    `dateCreated` 2099-01-01 audited on 2026-05-01; "As of June 3, 2099"; a source "published
    March 2, 2099".

    ## Passes
    Every date on or before the audit clock.
    """
    record, extracted = subject.record, subject.extracted
    now = _aware(ctx.now)
    for field, stamp in (("dateCreated", record.date_created), ("dateModified", record.date_modified)):
        if stamp is not None and _aware(stamp) > now:
            yield Violation(
                message=f"{field} {stamp.isoformat()} is after the audit clock {now.isoformat()}",
                location=text_location(record, None, field=field),
                identity=field,
            )
    today = now.date()
    for where, when in (("text", extracted.as_of), ("name", extracted.name_as_of)):
        if when is not None and when > today:
            yield Violation(
                message=f"'As of {when.isoformat()}' in the {where} is after the audit clock {today}",
                location=text_location(record, None, field=where),
                identity=f"as-of-{where}",
            )
    for cited in cited_identifiers(subject.extracted):
        stated = cited.citation.stated_date
        if stated is not None and stated > today:  # a month: its first day is after the clock
            written = written_date(stated, cited.citation.stated_precision)
            yield Violation(
                message=f"{cited.citation.key} is dated {written}, after the audit clock {today}",
                key=cited.citation.key,
                location=text_location(record, cited.span),
                evidence=(cited_evidence(record.id, cited),),
                identity="stated-date",
            )


@rule(
    code="CA305",
    name="doi-year-mismatch",
    severity=Severity.ERROR,
    scope=Scope.CAPSULE,
    version="2",  # 2: a month and year beside the DOI is a stated date
)
def doi_year_mismatch(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """A Nature DOI's year segment contradicts the publication date written beside it.

    ## Why this matters
    In `10.1038/s<code>-0YY-…` the `0YY` is the year the DOI was made, at acceptance; the paper
    cannot appear before it, and rarely more than a year after. A contradiction means the DOI or
    the date was invented. Published before the DOI year: error; over a year after: warning.

    ## Fails
    "Nature Materials, April 10, 2025 – doi:10.1038/s41563-026-01234-3"; "described in Nature in
    November 2021 (doi:10.1038/s41586-023-06735-9)" (a month and year count as a date).

    ## Passes
    "April 10, 2026 – doi:10.1038/s41563-026-01234-3"; a DOI with no date beside it.
    """
    for cited in cited_identifiers(subject.extracted):
        stated = cited.citation.stated_date
        nature = parse_nature(doi_from_key(cited.citation.key) or "")
        if stated is None or nature is None or nature.year <= stated.year <= nature.year + 1:
            continue
        written = written_date(stated, cited.citation.stated_precision)
        yield Violation(
            message=f"{cited.citation.key} was made in {nature.year}, but is dated {written}",
            key=cited.citation.key,
            claims=(cited.claim.id,) if cited.claim is not None else (),
            location=text_location(subject.record, cited.span),
            evidence=(cited_evidence(subject.record.id, cited),),
            severity=None if stated.year < nature.year else Severity.WARNING,
        )


DATE_RULES = (
    citation_after_capsule_date,
    modified_before_created,
    as_of_date_mismatch,
    future_date,
    doi_year_mismatch,
)
