"""`verify()`: give every cited identifier of the extracted claims a verdict.

Independent of the audit engine: it takes ExtractedCapsule values and returns verdicts keyed by
`Citation.key`, which the engine hands to the CA70x rules as `RuleContext.verdicts`. Answers come
from the cache first; nothing is sent when everything is cached (or with `cache_only`), and no
client is even built then.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import httpx

from capsule_audit.models.claims import Binding, Citation, Claim, ExtractedCapsule, unread_citations
from capsule_audit.models.verdicts import Verdict, VerdictKind, verdict_line
from capsule_audit.online import arxiv, crossref
from capsule_audit.online.cache import AnswerCache
from capsule_audit.online.compare import Credit, credit_of
from capsule_audit.online.judge import judge_identifier, judge_title
from capsule_audit.online.lookups import LookupRunner
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.ratelimit import Clock, Sleep
from capsule_audit.online.results import Lookup

ProgressCallback = Callable[[int, int], None]
_ARXIV_DOI = "10.48550/arxiv."


@dataclass
class Runtime:
    """What tests inject: clocks, sleep, jitter RNG, an HTTP transport, a cache."""

    clock: Clock = time.monotonic
    sleep: Sleep = time.sleep
    rng: random.Random = field(default_factory=random.Random)
    wall_clock: Callable[[], float] = time.time
    transport: httpx.BaseTransport | None = None
    cache: AnswerCache | None = None


@dataclass(frozen=True)
class Cited:
    """One place an identifier is cited: its capsule, claim (None for a bare Sources entry)."""

    capsule: str
    claim: Claim | None
    citation: Citation


def collect(extracted: Iterable[ExtractedCapsule]) -> dict[str, list[Cited]]:
    """Every citation of every claim and Sources entry, by key (URLs are not identifiers).

    A tuple of citations several claims of a capsule share with the same method and institutions
    (`claims.sharing`) is walked once, with the first of them: a verdict reads of the claims
    citing a key only their methods and institutions, and a walk per claim was N*N.
    """
    cited: dict[str, list[Cited]] = defaultdict(list)
    for capsule in extracted:
        walked: set[tuple[object, ...]] = set()
        for claim in capsule.claims:
            for citation in unread_citations(claim, walked, claim.method, claim.institutions):
                cited[citation.key].append(Cited(capsule.capsule, claim, citation))
        for entry in capsule.sources:
            if entry.citation is not None:
                cited[entry.citation.key].append(Cited(capsule.capsule, None, entry.citation))
    return {k: v for k, v in sorted(cited.items()) if not k.startswith("url:")}


def target(key: str) -> tuple[str, str] | None:
    """(service, identifier) to ask about a key, or None when it cannot be looked up."""
    scheme, _, value = key.partition(":")
    if not value:
        return None
    if scheme == "arxiv":
        return arxiv.SERVICE, value
    if scheme == "doi":
        doi = value.lower()
        if doi.startswith(_ARXIV_DOI):  # DataCite DOIs of arXiv papers: ask arXiv itself
            return arxiv.SERVICE, value[len(_ARXIV_DOI) :]
        return crossref.SERVICE, doi
    if scheme == "title":
        return arxiv.TITLE_SERVICE, value
    return None


def _unlookable(key: str, detail: str) -> Verdict:
    return Verdict(key=key, verdict=VerdictKind.UNVERIFIABLE, service="none", detail=detail)


def verify(
    extracted: Iterable[ExtractedCapsule],
    options: OnlineOptions,
    *,
    progress: ProgressCallback | None = None,
    runtime: Runtime | None = None,
) -> dict[str, Verdict]:
    """One verdict per cited identifier (URLs excepted), sorted by key; `unverifiable` at worst."""
    runtime = runtime or Runtime()
    cited = collect(extracted)
    truncated = {key for key, places in cited.items() if all(c.citation.truncated for c in places)}
    targets = {key: target(key) for key in cited if key not in truncated}
    wanted = sorted({t for t in targets.values() if t is not None})
    own_cache = runtime.cache is None and options.use_cache
    cache = runtime.cache or (
        AnswerCache.from_options(options, clock=runtime.wall_clock) if own_cache else None
    )
    runner = LookupRunner(options, runtime.clock, runtime.sleep, runtime.rng, runtime.transport, cache)
    try:
        answers: dict[tuple[str, str], Lookup] = runner.run(wanted, progress)
    finally:
        runner.close()
        if own_cache and cache is not None:
            cache.close()
    verdicts: dict[str, Verdict] = {}
    for key, places in cited.items():
        where = targets.get(key)
        if key in truncated:
            verdicts[key] = _unlookable(key, "the identifier is cut off; nothing to look up")
        elif where is None:
            verdicts[key] = _unlookable(key, "not an identifier any service can resolve")
        elif where[0] == arxiv.TITLE_SERVICE:
            verdicts[key] = judge_title(key, where[1], answers[where], options)
        else:
            # A positional binding (n-th Sources entry to n-th method) is the extractor's guess,
            # not something the capsule states: only explicit credits decide the verdict.
            stated = [c.claim for c in places if c.citation.binding is not Binding.POSITIONAL]
            credits = (credit for credit in map(credit_of, stated) if credit)
            institutions = {name for claim in stated if claim for name in claim.institutions}
            verdicts[key] = judge_identifier(key, answers[where], credits, options, institutions=institutions)
    return verdicts


summary_line = verdict_line
"""The verdict counts line printed after an online run (one implementation: models.verdicts)."""

__all__ = ["Cited", "Credit", "Runtime", "collect", "summary_line", "target", "verify"]
