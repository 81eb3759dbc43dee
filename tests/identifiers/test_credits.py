"""Credits inside a group, and the severity of a conflict between two bindings."""

from __future__ import annotations

from typing import Literal

import pytest

from capsule_audit.identifiers.credits import (
    citation_credits,
    figures_agree,
    pair_severity,
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
