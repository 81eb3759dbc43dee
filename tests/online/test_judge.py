"""From lookups and credits to verdicts (no network)."""

from __future__ import annotations

from datetime import date

from capsule_audit.models.verdicts import VerdictKind
from capsule_audit.online.compare import Credit, credit_of, credit_score
from capsule_audit.online.judge import judge_identifier, judge_title
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.results import Lookup, LookupStatus
from tests.online.seed_claims import C000, claim

OPTIONS = OnlineOptions()
SARIR = Credit("Self-Alignment via Reward-Based Iterative Refinement", "SARIR")
RGO = Credit("Recursive Gradient Optimization", "RGO")
PAPER = Lookup(
    service="arxiv",
    identifier="2604.01234",
    status=LookupStatus.FOUND,
    title="SARIR: Self-Alignment via Reward-Based Iterative Refinement for LLMs",
    published=date(2026, 4, 2),
)


def test_credit_score_separates_the_credited_method_from_others() -> None:
    assert credit_score(SARIR, PAPER.title or "") == 100.0
    assert credit_score(RGO, PAPER.title or "") < 60
    assert (
        credit_score(Credit(None, "DPO-UW"), "DPO-UW: Uncertainty-Weighted Preference Optimization") == 100.0
    )
    assert credit_score(Credit(None, "SAR"), "SARIR: Self-Alignment") == 0.0  # a prefix is not the acronym
    assert credit_of(claim(C000, 1, None, None)) is None


def test_all_credits_matching_is_verified_with_evidence() -> None:
    verdict = judge_identifier("arxiv:2604.01234", PAPER, [SARIR], OPTIONS)
    assert verdict.verdict is VerdictKind.VERIFIED
    assert (verdict.title_found, verdict.date_found, verdict.score) == (PAPER.title, date(2026, 4, 2), 100.0)


def test_one_credit_that_does_not_match_makes_it_miscited() -> None:
    verdict = judge_identifier("arxiv:2604.01234", PAPER, [SARIR, RGO], OPTIONS)
    assert verdict.verdict is VerdictKind.MISCITED
    assert (
        verdict.score is not None
        and verdict.score < 60
        and "Recursive Gradient Optimization" in verdict.detail
    )


def test_no_credit_absent_failed_and_metadata_free_records() -> None:
    assert judge_identifier("k", PAPER, [], OPTIONS).verdict is VerdictKind.VERIFIED
    assert (
        judge_identifier("k", Lookup.absent("arxiv", "x", "empty 3 times"), [RGO], OPTIONS).verdict
        is VerdictKind.FABRICATED
    )
    assert (
        judge_identifier("k", Lookup.failed("arxiv", "x", "HTTP 503"), [RGO], OPTIONS).verdict
        is VerdictKind.UNVERIFIABLE
    )
    registered = Lookup(service="doi.org", identifier="10.5281/z", status=LookupStatus.FOUND)
    assert judge_identifier("k", registered, [RGO], OPTIONS).verdict is VerdictKind.UNVERIFIABLE


def test_quoted_titles_are_verified_or_unverifiable_never_fabricated() -> None:
    exact = judge_title(
        "title:t", "self-alignment via reward-based iterative refinement for llms", PAPER, OPTIONS
    )
    assert exact.verdict is VerdictKind.VERIFIED and exact.score is not None and exact.score > 90
    near = judge_title("title:t", "goodhart's revenge", PAPER, OPTIONS)
    assert near.verdict is VerdictKind.UNVERIFIABLE and near.score is not None and "closest" in near.detail
    none = judge_title(
        "title:t", "goodhart's revenge", Lookup.absent("arxiv-title-search", "t", "none"), OPTIONS
    )
    assert none.verdict is VerdictKind.UNVERIFIABLE


def test_credited_institutions_are_compared_with_the_affiliations() -> None:
    paper = PAPER.model_copy(
        update={"affiliations": ("Google DeepMind, London", "University College London")}
    )
    wrong = judge_identifier("arxiv:2604.01234", paper, [SARIR], OPTIONS, institutions={"Microsoft Research"})
    assert wrong.verdict is VerdictKind.VERIFIED, "the paper is the one cited; only its credit is off"
    assert "Microsoft Research" in wrong.detail and "Google DeepMind" in wrong.detail
    right = judge_identifier("arxiv:2604.01234", paper, [SARIR], OPTIONS, institutions={"Google DeepMind"})
    assert "affiliations" not in right.detail
    unknown = PAPER.model_copy(update={"affiliations": ("Some Lab",)})
    quiet = judge_identifier(
        "arxiv:2604.01234", unknown, [SARIR], OPTIONS, institutions={"Microsoft Research"}
    )
    assert "affiliations" not in quiet.detail, "no known institution in the affiliations: nothing to compare"
