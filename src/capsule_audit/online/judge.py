"""From a service's answer and what the citing claims credit, to one Verdict per identifier."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from capsule_audit.claims.entities import find_institutions
from capsule_audit.models.verdicts import Verdict, VerdictKind
from capsule_audit.online.arxiv import title_score
from capsule_audit.online.compare import Credit, credit_score
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.results import Lookup, LookupStatus


def _verdict(key: str, kind: VerdictKind, lookup: Lookup, *, score: float | None, detail: str) -> Verdict:
    return Verdict(
        failed=lookup.status is LookupStatus.FAILED,
        key=key,
        verdict=kind,
        service=lookup.service,
        title_found=lookup.title,
        authors_found=lookup.authors,
        date_found=lookup.published,
        score=None if score is None else round(score, 1),
        detail=detail,
        cached=lookup.cached,
    )


def judge_title(key: str, quoted: str, lookup: Lookup, options: OnlineOptions) -> Verdict:
    """A quoted title: verified when arXiv has a paper so titled; never 'fabricated' (it may be
    a journal paper or a talk), so no match is `unverifiable`, with the closest title found."""
    if lookup.status is LookupStatus.FAILED:
        return _verdict(key, VerdictKind.UNVERIFIABLE, lookup, score=None, detail=lookup.detail)
    if lookup.status is LookupStatus.ABSENT or lookup.title is None:
        return _verdict(key, VerdictKind.UNVERIFIABLE, lookup, score=None, detail=lookup.detail)
    score = title_score(quoted, lookup.title)
    if score >= options.title_match_threshold:
        return _verdict(key, VerdictKind.VERIFIED, lookup, score=score, detail="arXiv has a paper so titled")
    detail = f"no arXiv paper so titled; closest: {lookup.title!r} (score {score:.0f})"
    return _verdict(key, VerdictKind.UNVERIFIABLE, lookup, score=score, detail=detail)


def institutions_note(credited: Iterable[str], lookup: Lookup) -> str:
    """'' when the credited institutions agree with the record's affiliations or cannot be
    compared (no affiliations listed, none known); else a note naming both sides.

    A mismatch does not change the verdict: the paper is the one cited, its credit is wrong.
    """
    wanted = set(credited)
    found: dict[str, None] = {}
    for affiliation in lookup.affiliations:
        found.update(dict.fromkeys(find_institutions(affiliation)))
    if not wanted or not found or wanted & set(found):
        return ""
    return f"; credited to {', '.join(sorted(wanted))}, but the authors' affiliations name {', '.join(found)}"


def judge_identifier(
    key: str,
    lookup: Lookup,
    credits: Iterable[Credit],
    options: OnlineOptions,
    *,
    institutions: Iterable[str] = (),
) -> Verdict:
    """An arXiv ID or DOI: fabricated when confirmed absent; miscited when some claim credits a
    method the record's title does not match; verified when all credits match (or none is made).
    Credited institutions are compared with the record's affiliations and any mismatch noted."""
    if lookup.status is LookupStatus.FAILED:
        return _verdict(key, VerdictKind.UNVERIFIABLE, lookup, score=None, detail=lookup.detail)
    if lookup.status is LookupStatus.ABSENT:
        return _verdict(key, VerdictKind.FABRICATED, lookup, score=None, detail=lookup.detail)
    if not lookup.title:
        return _verdict(key, VerdictKind.UNVERIFIABLE, lookup, score=None, detail=lookup.detail)
    scores: Mapping[Credit, float] = {c: credit_score(c, lookup.title) for c in sorted(set(credits))}
    note = institutions_note(institutions, lookup)
    if not scores:
        detail = "exists; the citing text credits no method" + note
        return _verdict(key, VerdictKind.VERIFIED, lookup, score=None, detail=detail)
    listed = "; ".join(f"{c.label()!r}: {s:.0f}" for c, s in scores.items())
    worst = min(scores.values())
    if worst >= options.match_threshold:
        return _verdict(key, VerdictKind.VERIFIED, lookup, score=worst, detail=f"credited {listed}{note}")
    return _verdict(
        key,
        VerdictKind.MISCITED,
        lookup,
        score=worst,
        detail=f"the record is {lookup.title!r}; credited {listed}{note}",
    )
