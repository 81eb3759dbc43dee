"""CA401-CA405 on hand-built groups, including the seeds' conflicts."""

from __future__ import annotations

import pytest

from capsule_audit.models.claims import Binding, Figure, MethodRef
from capsule_audit.models.findings import Severity
from capsule_audit.rules.attribution import (
    acronym_conflict,
    conflicting_attribution,
    conflicting_figures,
    conflicting_institutions,
    method_multiple_identifiers,
)
from capsule_audit.rules.base import Group, GroupKind
from capsule_audit.rules.index import GroupIndex, members_for
from tests.identifiers.builders import A, B, C, cite, claim, context, group, record, run, subject

K = "arxiv:2604.01234"
P = Binding.POSITIONAL
SARIR = MethodRef(name="Self-Alignment via Reward-Based Iterative Refinement", acronym="SARIR")
RGO = MethodRef(name="Recursive Gradient Optimization", acronym="RGO")
ACLSG = MethodRef(
    name="Adaptive Curriculum Learning via Self-Generated Difficulty Estimation", acronym="ACLSG"
)


def _seed_group() -> Group:
    return group(
        GroupKind.CITATION,
        K,
        claim(
            A,
            "SARIR eliminates reward models.",
            citations=[cite(K)],
            method=SARIR,
            institutions=["University of Toronto", "Microsoft Research"],
        ),
        claim(
            B,
            "Researchers at DeepMind introduced RGO.",
            citations=[cite(K)],
            method=RGO,
            institutions=["DeepMind"],
        ),
        claim(
            C,
            "MIT and Stanford introduced ACLSG.",
            citations=[cite(K, binding=P)],
            method=ACLSG,
            institutions=["MIT", "Stanford University"],
        ),
    )


def test_ca401_seeds_three_methods_for_one_id_is_an_error_naming_every_capsule() -> None:
    found = run(conflicting_attribution, _seed_group())
    assert len(found) == 1
    v = found[0]
    assert (v.key, v.capsules, v.severity) == (K, (A, B, C), None)
    assert {(e.capsule, e.binding) for e in v.evidence} == {
        (A, Binding.EXPLICIT),
        (B, Binding.EXPLICIT),
        (C, P),
    }


def test_ca401_acronym_and_full_name_are_one_method() -> None:
    g = group(
        GroupKind.CITATION,
        K,
        claim(A, "RGO …", citations=[cite(K)], method=MethodRef(acronym="RGO")),
        claim(
            B,
            "Recursive Gradient Optimization …",
            citations=[cite(K)],
            method=MethodRef(name="Recursive Gradient Optimization"),
        ),
    )
    assert run(conflicting_attribution, g) == []


def test_ca401_positional_binding_lowers_the_severity() -> None:
    g = group(
        GroupKind.CITATION,
        K,
        claim(A, "SARIR …", citations=[cite(K)], method=SARIR),
        claim(C, "ACLSG …", citations=[cite(K, binding=P)], method=ACLSG),
    )
    assert [v.severity for v in run(conflicting_attribution, g)] == [Severity.WARNING]


def test_ca401_one_capsule_alone_or_listed_only_bindings_pass() -> None:
    same_capsule = group(
        GroupKind.CITATION,
        K,
        claim(A, "SARIR …", citations=[cite(K)], method=SARIR),
        claim(A, "RGO …", citations=[cite(K)], method=RGO, start=40),
    )
    listed = group(
        GroupKind.CITATION,
        K,
        claim(A, "SARIR …", citations=[cite(K)], method=SARIR),
        claim(B, "RGO …", citations=[cite(K, binding=Binding.LISTED)], method=RGO),
    )
    assert run(conflicting_attribution, same_capsule) == []
    assert run(conflicting_attribution, listed) == []


def test_ca401_is_independent_of_member_order() -> None:
    g = _seed_group()
    reversed_group = group(GroupKind.CITATION, K, *[m.claim for m in reversed(g.members) if m.claim])
    assert run(conflicting_attribution, g) == run(conflicting_attribution, reversed_group)


def test_ca402_seeds_disjoint_institutions() -> None:
    found = run(conflicting_institutions, _seed_group())
    assert [(v.key, v.capsules, v.severity) for v in found] == [(K, (A, B, C), None)]


def test_ca402_overlapping_institutions_pass() -> None:
    g = group(
        GroupKind.CITATION,
        K,
        claim(A, "x", citations=[cite(K)], institutions=["University of Toronto", "Microsoft Research"]),
        claim(B, "y", citations=[cite(K)], institutions=["University of Toronto"]),
        claim(C, "z", citations=[cite(K)]),
    )
    assert run(conflicting_institutions, g) == []


def test_ca402_an_organisation_and_its_part_do_not_conflict_but_two_organisations_do() -> None:
    def of(a: list[str], b: list[str]) -> Group:
        return group(
            GroupKind.CITATION,
            K,
            claim(A, "x", citations=[cite(K)], institutions=a),
            claim(B, "y", citations=[cite(K)], institutions=b),
        )

    assert run(conflicting_institutions, of(["Google"], ["Google DeepMind", "Google Research"])) == []
    assert len(run(conflicting_institutions, of(["Google"], ["OpenAI"]))) == 1
    assert len(run(conflicting_institutions, of(["Google DeepMind"], ["Meta AI"]))) == 1


def test_ca403_one_method_two_arxiv_ids() -> None:
    g = group(
        GroupKind.METHOD,
        "rgo",
        claim(A, "RGO …", citations=[cite(K)], method=RGO),
        claim(
            B,
            "Recursive Gradient Optimization …",
            citations=[cite("arxiv:2605.00321", binding=P)],
            method=MethodRef(name="Recursive Gradient Optimization"),
        ),
        claim(
            C,
            "Random Gradient Orthogonalization …",
            citations=[cite("arxiv:2601.00007")],
            method=MethodRef(name="Random Gradient Orthogonalization", acronym="RGO"),
        ),
    )
    found = run(method_multiple_identifiers, g)
    assert [(v.key, v.capsules, v.severity) for v in found] == [("rgo", (A, B), Severity.INFO)]


def test_ca403_a_bare_acronym_never_bridges_two_named_methods() -> None:
    g = group(
        GroupKind.METHOD,
        "rgo",
        claim(A, "RGO …", citations=[cite(K)], method=RGO),
        claim(B, "RGO …", citations=[cite(K)], method=MethodRef(acronym="RGO")),
        claim(
            C,
            "Random Gradient Orthogonalization …",
            citations=[cite("arxiv:2601.00007")],
            method=MethodRef(name="Random Gradient Orthogonalization", acronym="RGO"),
        ),
    )
    assert run(method_multiple_identifiers, g) == []


def test_ca403_arxiv_versus_doi_or_same_id_passes() -> None:
    g = group(
        GroupKind.METHOD,
        "rgo",
        claim(A, "RGO …", citations=[cite(K)], method=RGO),
        claim(B, "RGO …", citations=[cite("doi:10.1038/s42256-026-00412-7")], method=RGO),
        claim(C, "RGO …", citations=[cite(K)], method=RGO),
    )
    assert run(method_multiple_identifiers, g) == []


def _fig(value: float, measure: str = "memory usage") -> Figure:
    return Figure(value=value, unit="%", raw=f"{value:g}%", measure=measure, direction="lower")


def test_ca404_conflicting_figures_for_one_measure() -> None:
    g = group(
        GroupKind.METHOD,
        "rgo",
        claim(
            A, "RGO reduces memory usage by 40%", method=RGO, figures=[_fig(40), _fig(25, "training time")]
        ),
        claim(
            B, "RGO reduces memory usage by 60%", method=RGO, figures=[_fig(60), _fig(25, "training time")]
        ),
    )
    found = run(conflicting_figures, g)
    assert [(v.key, v.capsules) for v in found] == [("rgo", (A, B))]
    assert found[0].identity.endswith("|memory|%")  # the measure's key: memory usage is memory


@pytest.mark.parametrize(
    ("first", "second", "conflict"),
    [
        ("mmlu", "mmlu accuracy", True),
        ("accuracy on mmlu", "mmlu score", True),
        ("gpu memory use", "memory usage", True),
        ("mmlu", "gsm8k", False),
        ("mmlu", "mmlu-pro", False),
        ("training time", "training cost", False),
    ],
)
def test_ca404_compares_one_benchmark_or_metric_however_it_is_written(
    first: str, second: str, conflict: bool
) -> None:
    g = group(
        GroupKind.METHOD,
        "rgo",
        claim(A, "a", method=RGO, figures=[_fig(12.3, first)]),
        claim(B, "b", method=RGO, figures=[_fig(7.9, second)]),
    )
    assert len(run(conflicting_figures, g)) == int(conflict)


def test_ca404_compares_only_figures_of_one_unit() -> None:
    times = Figure(value=3, unit="x", raw="3x", measure="memory usage", direction="lower")
    g = group(
        GroupKind.METHOD,
        "rgo",
        claim(A, "a", method=RGO, figures=[_fig(40)]),
        claim(B, "b", method=RGO, figures=[times]),
    )
    assert run(conflicting_figures, g) == []


def test_ca404_agreeing_figures_within_tolerance_pass() -> None:
    g = group(
        GroupKind.METHOD,
        "rgo",
        claim(A, "40%", method=RGO, figures=[_fig(40)]),
        claim(B, "42%", method=RGO, figures=[_fig(42)]),
    )
    assert run(conflicting_figures, g) == []
    assert len(run(conflicting_figures, g, context(thresholds={"CA404.relative_tolerance": 0.01}))) == 1


def test_ca405_acronym_expanded_two_ways() -> None:
    g = group(
        GroupKind.ACRONYM,
        "SAR",
        claim(A, "SAR …", method=MethodRef(name="Sparse Activation Replay", acronym="SAR")),
        claim(B, "SAR …", method=MethodRef(name="Selective Attention Routing", acronym="SAR")),
        claim(
            C,
            "SAR …",
            method=MethodRef(name="Sparse Activation Replay for Long-Context Training", acronym="SAR"),
        ),
    )
    found = run(acronym_conflict, g)
    assert [(v.key, v.capsules) for v in found] == [("SAR", (A, B, C))]


def test_ca405_spelling_variants_pass() -> None:
    g = group(
        GroupKind.ACRONYM,
        "RGO",
        claim(A, "x", method=RGO),
        claim(B, "y", method=MethodRef(name="Recursive Gradient Optimisation", acronym="RGO")),
        claim(C, "z", method=MethodRef(acronym="RGO")),
    )
    assert run(acronym_conflict, g) == []


def test_ca403_ca404_rgo_alone_and_its_full_name_meet_in_one_method_group() -> None:
    claims = [
        claim(
            A,
            "RGO cuts memory usage by 40%",
            citations=[cite(K)],
            method=MethodRef(acronym="RGO"),
            figures=[_fig(40)],
        ),
        claim(
            B,
            "Recursive Gradient Optimization cuts memory usage by 60%",
            citations=[cite("arxiv:2605.00321")],
            method=MethodRef(name="Recursive Gradient Optimization"),
            figures=[_fig(60)],
        ),
        claim(
            C,
            "Recursive Gradient Optimization (RGO) cuts memory usage by 90%",
            citations=[cite("arxiv:2601.00007")],
            method=RGO,
            figures=[_fig(90)],
        ),
    ]
    index = GroupIndex()
    for c in claims:
        index.extend(members_for(subject(record(c.capsule), claims=[c]), frozenset({GroupKind.METHOD})))
    (g,) = list(index.groups([GroupKind.METHOD]))
    assert (g.key, g.capsules) == ("rg", (A, B, C))  # the block; findings carry the method's key
    assert [(v.key, v.capsules) for v in run(method_multiple_identifiers, g)] == [("rgo", (A, B, C))]
    assert [(v.key, v.capsules) for v in run(conflicting_figures, g)] == [("rgo", (A, B, C))]
