"""CA701-CA704 over citation groups with hand-made verdicts (tests rules/online.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from capsule_audit.models.claims import Citation
from capsule_audit.models.records import SourceRef
from capsule_audit.models.verdicts import Verdict, VerdictKind
from capsule_audit.online.compare import Credit
from capsule_audit.online.judge import judge_identifier
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.results import Lookup, LookupStatus
from capsule_audit.online.verify import collect
from capsule_audit.rules.base import Group, GroupKind, Member, Rule, RuleContext, Violation
from capsule_audit.rules.online import (
    ONLINE_RULES,
    fabricated_identifier,
    miscited_identifier,
    stated_date_contradicts_record,
    unverifiable_identifier,
)
from tests.online.seed_claims import C000, C002, C003, seed_capsules

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def group(key: str) -> Group:
    members = tuple(
        Member(capsule=c.capsule, source=SourceRef(path="dump.json"), claim=c.claim, citation=c.citation)
        for c in collect(seed_capsules())[key]
    )
    return Group(kind=GroupKind.CITATION, key=key, members=members)


def run(rule_: Rule, key: str, *verdicts: Verdict) -> list[Violation]:
    assert rule_.check is not None
    ctx = RuleContext(now=NOW, verdicts={v.key: v for v in verdicts})
    found: Iterator[Violation] = rule_.check(group(key), ctx)
    return list(found)


def verdict(key: str, kind: VerdictKind, **extra: object) -> Verdict:
    return Verdict.model_validate({"key": key, "verdict": kind, "service": "arxiv", **extra})


@pytest.mark.parametrize("rule_", ONLINE_RULES, ids=lambda r: r.code)
def test_without_verdicts_online_rules_are_silent(rule_: Rule) -> None:
    assert run(rule_, "arxiv:2604.01234") == []


@pytest.mark.parametrize("rule_", ONLINE_RULES, ids=lambda r: r.code)
def test_every_rule_documents_why_fails_passes(rule_: Rule) -> None:
    assert re.fullmatch(r"CA70[1-4]", rule_.code) and rule_.group_by is GroupKind.CITATION
    for section in ("## Why this matters", "## Fails", "## Passes"):
        assert section in rule_.doc


def test_ca701_reports_a_fabricated_identifier_once_for_all_its_capsules() -> None:
    found = run(
        fabricated_identifier,
        "arxiv:2604.01890",
        verdict("arxiv:2604.01890", VerdictKind.FABRICATED, detail="empty 3 times"),
    )
    assert len(found) == 1 and "does not exist" in found[0].message and found[0].key == "arxiv:2604.01890"
    assert {e.capsule for e in found[0].evidence} == {C000}
    assert (
        run(fabricated_identifier, "arxiv:2604.01890", verdict("arxiv:2604.01890", VerdictKind.UNVERIFIABLE))
        == []
    )


def test_ca702_names_only_the_capsules_whose_credit_does_not_match() -> None:
    # 2604.01234 served as SARIR: capsule 000 credits SARIR (right), 003 credits RGO (wrong).
    lookup = Lookup(
        service="arxiv",
        identifier="2604.01234",
        status=LookupStatus.FOUND,
        title="SARIR: Self-Alignment via Reward-Based Iterative Refinement",
        published=date(2026, 4, 2),
    )
    members = group("arxiv:2604.01234").members
    credits = [c for c in (m.claim.method for m in members if m.claim and m.claim.method)]
    v = judge_identifier(
        "arxiv:2604.01234", lookup, [Credit(c.name, c.acronym) for c in credits], OnlineOptions()
    )
    assert v.verdict is VerdictKind.MISCITED
    found = run(miscited_identifier, "arxiv:2604.01234", v)
    assert [f.capsules for f in found] == [(C003,)]
    assert "Recursive Gradient Optimization" in found[0].message and "SARIR" in found[0].message


def test_ca703_flags_a_stated_date_far_from_the_record() -> None:
    key = "arxiv:2604.04501"
    far = run(
        stated_date_contradicts_record, key, verdict(key, VerdictKind.VERIFIED, date_found=date(2026, 4, 6))
    )
    assert [f.capsules for f in far] == [(C002,)] and "2026-04-12" in far[0].message
    near = run(
        stated_date_contradicts_record, key, verdict(key, VerdictKind.VERIFIED, date_found=date(2026, 4, 11))
    )
    assert near == []
    fabricated = verdict(key, VerdictKind.FABRICATED, date_found=date(2026, 1, 1))
    assert run(stated_date_contradicts_record, key, fabricated) == []


def test_ca704_reports_unverifiable_identifiers_with_the_reason() -> None:
    key = "arxiv:2604.01567"
    found = run(
        unverifiable_identifier,
        key,
        verdict(key, VerdictKind.UNVERIFIABLE, detail="HTTP 503 after 5 attempts"),
    )
    assert len(found) == 1 and "HTTP 503" in found[0].message
    assert run(unverifiable_identifier, key, verdict(key, VerdictKind.VERIFIED)) == []


@pytest.mark.parametrize(
    ("found", "flagged"),
    [
        (date(2026, 4, 28), False),
        (date(2026, 4, 1), False),
        (date(2026, 5, 3), False),
        (date(2026, 5, 9), True),
    ],
)
def test_ca703_a_stated_month_holds_every_day_of_it(found: date, flagged: bool) -> None:
    key = "arxiv:2604.04501"
    month = Citation(scheme="arxiv", key=key, raw=key, stated_date=date(2026, 4, 1), stated_precision="month")
    only = Group(
        kind=GroupKind.CITATION, key=key, members=(Member(C002, SourceRef(path="d.json"), citation=month),)
    )
    assert stated_date_contradicts_record.check is not None
    ctx = RuleContext(now=NOW, verdicts={key: verdict(key, VerdictKind.VERIFIED, date_found=found)})
    hits = list(stated_date_contradicts_record.check(only, ctx))
    assert bool(hits) is flagged
    assert all("dated 2026-04 in the text" in v.message for v in hits)
