"""Conflicts found by counting agree with the all-pairs definition they replace."""

from __future__ import annotations

import random
from typing import Literal

import pytest

from capsule_audit.identifiers.credits import figures_agree
from capsule_audit.identifiers.sides import conflicting_figure_sets, disjoint_partner_ranks
from capsule_audit.models.claims import Figure

Direction = Literal["higher", "lower"] | None


def _brute_partners(sets: list[frozenset[str]], ranks: list[int]) -> list[int | None]:
    return [max((ranks[j] for j, other in enumerate(sets) if not s & other), default=None) for s in sets]


@pytest.mark.parametrize("seed", range(30))
def test_disjoint_partner_ranks_match_all_pairs(seed: int) -> None:
    rng = random.Random(seed)
    keys = [f"k{i}" for i in range(rng.randint(1, 12))]
    sizes = [1, 1, 2, 3, 10]  # 10 keys: past the subset limit, compared directly
    found = {
        frozenset(rng.sample(keys, min(rng.choice(sizes), len(keys)))) for _ in range(rng.randint(1, 40))
    }
    sets = sorted(found, key=sorted)
    ranks = [rng.choice([1, 2]) for _ in sets]
    assert disjoint_partner_ranks(sets, ranks) == _brute_partners(sets, ranks)


def _fig(value: float, direction: Direction) -> Figure:
    return Figure(value=value, unit="%", raw=f"{value}%", measure="m", direction=direction)


def _brute_figures(sets: list[tuple[Figure, ...]], tolerance: float) -> list[bool]:
    def clash(a: tuple[Figure, ...], b: tuple[Figure, ...]) -> bool:
        return not any(figures_agree(x, y, tolerance) for x in a for y in b)

    return [any(clash(s, o) for j, o in enumerate(sets) if j != i) for i, s in enumerate(sets)]


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("tolerance", [0.0, 0.05, 0.1, 0.5, 1.5])
def test_conflicting_figure_sets_match_all_pairs(seed: int, tolerance: float) -> None:
    rng = random.Random(seed)
    values = [0, -5, 10, 36, 40, 42, 43.9, 44, 60, 0.1]
    directions: list[Direction] = [None, "higher", "lower"]
    found = {
        tuple(
            sorted(
                {(rng.choice(values), rng.choice(directions)) for _ in range(rng.choice([1, 1, 1, 2]))},
                key=str,
            )
        )
        for _ in range(rng.randint(1, 12))
    }
    sets = [tuple(_fig(v, d) for v, d in s) for s in sorted(found, key=str)]
    assert conflicting_figure_sets(sets, tolerance) == _brute_figures(sets, tolerance)
