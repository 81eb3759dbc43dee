"""CA401-CA405 on groups of thousands of capsules: one finding per subject, capped evidence,
distinct values compared instead of all pairs of capsules."""

from __future__ import annotations

import pytest

from capsule_audit.identifiers import sides
from capsule_audit.identifiers.credits import figures_agree
from capsule_audit.models.claims import Figure
from capsule_audit.rules.attribution import (
    conflicting_attribution,
    conflicting_figures,
    method_multiple_identifiers,
)
from capsule_audit.rules.base import Group, GroupKind
from capsule_audit.rules.conflicts import EVIDENCE_PER_VALUE, VALUES_SHOWN
from tests.identifiers.builders import cite, claim, group, run
from tests.rules.test_attribution import ACLSG, RGO, SARIR, K, _fig


def _capsule(n: int) -> str:
    return f"https://forgecascade.org/public/capsules/{n:08d}-0000-4000-8000-000000000000"


def _big_group(kind: GroupKind, key: str, claims: list) -> Group:  # type: ignore[type-arg]
    return group(kind, key, *claims)


def test_ca401_in_a_huge_group_one_finding_names_every_capsule_with_capped_evidence() -> None:
    methods = [RGO, SARIR, ACLSG]
    claims = [
        claim(_capsule(n), f"claim {n}", citations=[cite(K)], method=methods[n % 3]) for n in range(3000)
    ]
    (v,) = run(conflicting_attribution, _big_group(GroupKind.CITATION, K, claims))
    assert len(v.capsules) == len(v.claims) == 3000
    assert len(v.evidence) == 3 * EVIDENCE_PER_VALUE
    assert "1,000 capsules" in v.message and len(v.message) < 1000


def test_ca403_every_capsule_its_own_identifier_is_one_finding_with_a_short_message() -> None:
    claims = [
        claim(_capsule(n), f"RGO {n}", citations=[cite(f"arxiv:2604.{n + 1:05d}")], method=RGO)
        for n in range(3000)
    ]
    claims.append(claim(_capsule(9999), "RGO again", citations=[cite("arxiv:2604.00001")], method=RGO))
    (v,) = run(method_multiple_identifiers, _big_group(GroupKind.METHOD, "rgo", claims))
    assert len(v.capsules) == 3001
    assert len(v.evidence) <= VALUES_SHOWN * EVIDENCE_PER_VALUE
    assert ": arxiv:2604.00001 in " in v.message  # the identifier two capsules share comes first
    assert v.message.endswith("and 2,994 more values in 2,994 capsules")


def test_ca404_compares_distinct_figures_not_all_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real = figures_agree

    def counting(a: Figure, b: Figure, tolerance: float) -> bool:
        nonlocal calls
        calls += 1
        return real(a, b, tolerance)

    monkeypatch.setattr(sides, "figures_agree", counting)
    claims = [claim(_capsule(n), f"RGO {n}", method=RGO, figures=[_fig(10 + n / 7)]) for n in range(3000)]
    (v,) = run(conflicting_figures, _big_group(GroupKind.METHOD, "rgo", claims))
    assert len(v.capsules) == 3000
    assert calls <= 10 * 3000  # a few per distinct figure, not 3000**2 / 2
