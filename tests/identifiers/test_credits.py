"""Credits inside a group, and the severity of a conflict between two bindings."""

from __future__ import annotations

from typing import Literal

import pytest

from capsule_audit.identifiers.credits import (
    citation_credits,
    claim_credits,
    figures_agree,
    method_credits,
    pair_severity,
    strongest,
    strongest_per_method,
    worst,
)
from capsule_audit.models.claims import Binding, Figure, MethodRef
from capsule_audit.models.findings import Severity
from capsule_audit.rules.base import GroupKind
from tests.identifiers.builders import A, B, cite, claim, group

E, P, L = Binding.EXPLICIT, Binding.POSITIONAL, Binding.LISTED


@pytest.mark.parametrize(
    ("a", "b", "default", "expected"),
    [
        (E, E, Severity.ERROR, None),
        (E, P, Severity.ERROR, Severity.WARNING),
        (P, P, Severity.ERROR, Severity.INFO),
        (E, P, Severity.WARNING, Severity.INFO),
        (P, P, Severity.WARNING, Severity.INFO),
    ],
)
def test_positional_bindings_lower_the_severity(
    a: Binding, b: Binding, default: Severity, expected: Severity | None
) -> None:
    assert pair_severity(a, b, default=default) == expected


def test_worst_takes_the_most_severe() -> None:
    assert worst([Severity.INFO, None], Severity.ERROR) is None
    assert worst([Severity.INFO, Severity.WARNING], Severity.ERROR) == Severity.WARNING


def test_listed_citations_credit_nothing() -> None:
    key = "arxiv:2604.01234"
    g = group(
        GroupKind.CITATION,
        key,
        claim(A, "a", citations=[cite(key, binding=L)], method=MethodRef(acronym="X")),
        claim(B, "b", citations=[cite(key, binding=P)], method=MethodRef(acronym="Y")),
    )
    assert [(c.capsule, c.binding) for c in citation_credits(g)] == [(B, P)]


def test_strongest_per_method_prefers_explicit() -> None:
    key = "arxiv:2604.01234"
    weak = claim(A, "weak", citations=[cite(key, binding=P)], method=MethodRef(acronym="RGO"), start=0)
    strong = claim(
        A, "strong", citations=[cite(key)], method=MethodRef(name="Recursive Gradient Optimization"), start=9
    )
    cells = strongest_per_method(citation_credits(group(GroupKind.CITATION, key, weak, strong)))
    assert [(cell, c.claim.text) for cell, c in cells.items()] == [((0, A), "strong")]


def test_figures_agree_within_tolerance_and_direction() -> None:
    def fig(value: float, direction: Literal["higher", "lower"] | None = None) -> Figure:
        return Figure(value=value, unit="%", raw=f"{value}%", measure="memory usage", direction=direction)

    assert figures_agree(fig(40), fig(42), 0.1)
    assert not figures_agree(fig(40), fig(60), 0.1)
    assert not figures_agree(fig(40, "lower"), fig(40, "higher"), 0.1)


def test_claim_credits_take_each_claims_strongest_binding_in_text_order() -> None:
    key = "arxiv:2604.01234"
    later = claim(A, "later", citations=[cite(key, binding=P)], method=MethodRef(acronym="X"), start=50)
    first = claim(
        A, "first", citations=[cite(key, binding=L), cite("doi:10.1/x")], method=MethodRef(acronym="X")
    )
    listed_only = claim(B, "listed", citations=[cite(key, binding=L)], method=MethodRef(acronym="X"))
    uncited = claim(B, "uncited", method=MethodRef(acronym="X"), start=9)
    # Bound by its item's Source line alone (positional), its own citation only listed.
    sourced = claim(B, "sourced", citations=[cite(key, binding=L)], method=MethodRef(acronym="X"), start=20)
    sourced = sourced.model_copy(update={"item_sources": (cite("doi:10.1/y", binding=P),)})
    claims = (later, first, listed_only, uncited, sourced)
    expected = [(A, "first", E), (A, "later", P), (B, "listed", E), (B, "uncited", E), (B, "sourced", P)]
    g = group(GroupKind.ACRONYM, "X", *claims)
    assert [(c.capsule, c.claim.text, c.binding) for c in claim_credits(g)] == expected
    # A METHOD group's credits, from the store's scan, in the same order with the same bindings.
    g = group(GroupKind.METHOD, "x", *claims)
    assert [(c.capsule, c.claim.quote, c.binding) for c in g.credits] == expected
    assert [c.cites for c in g.credits][-1] == (("doi:10.1/y", P),)  # its listed citation is not


def test_credits_are_built_once_per_group_and_never_answer_for_another() -> None:
    key = "arxiv:2604.01234"
    a = claim(A, "a", citations=[cite(key)], method=MethodRef(acronym="X"))
    b = claim(B, "b", citations=[cite(key)], method=MethodRef(acronym="X"))
    one, other = group(GroupKind.ACRONYM, "X", a), group(GroupKind.ACRONYM, "X", b)
    assert claim_credits(one) is claim_credits(one)
    assert [c.capsule for c in claim_credits(other)] == [B]
    assert [c.capsule for c in claim_credits(one)] == [A]
    one, other = group(GroupKind.METHOD, "x", a), group(GroupKind.METHOD, "x", b)
    assert method_credits(one) is method_credits(one)
    assert [c.capsule for found in method_credits(other).values() for c in found] == [B]


def test_strongest_of_one_credit_is_that_credit() -> None:
    key = "arxiv:2604.01234"
    only = claim(A, "a", citations=[cite(key, binding=P)], method=MethodRef(acronym="X"))
    (credit,) = claim_credits(group(GroupKind.ACRONYM, "X", only))
    assert strongest([credit]) is credit
    assert strongest(iter([credit])) is credit
