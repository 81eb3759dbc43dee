"""Clusters side by side: one column per capsule, the conflicting fields and values marked."""

from __future__ import annotations

from capsule_audit.models.claims import Binding, Figure
from capsule_audit.models.report import Cluster, ClusterMember
from capsule_audit.reporters.html_marks import by_capsule, field_marks


def member(capsule: str, method: str, acronym: str, institution: str, figure: str = "") -> ClusterMember:
    figures = (Figure(value=1, unit="%", raw=figure),) if figure else ()
    return ClusterMember(
        capsule=capsule,
        claim=None,
        method=method,
        acronym=acronym,
        institutions=(institution,),
        figures=figures,
        binding=Binding.EXPLICIT,
    )


SARIR = "Self-Alignment via Reward-Based Iterative Refinement"


def cluster() -> Cluster:
    return Cluster(
        key="arxiv:2604.01234",
        conflicting=True,
        members=(
            member("a", SARIR, "SARIR", "University of Toronto", "18%"),
            member("a", SARIR, "SARIR", "Microsoft Research", "35%"),  # a second claim of capsule a
            member("b", "SARIR", "SARIR", "University of Toronto"),  # the acronym: the same method
            member("c", "Recursive Gradient Optimization", "RGO", "Google DeepMind"),
        ),
    )


def test_a_capsule_citing_the_identifier_twice_is_one_column_with_both_claims() -> None:
    merged = by_capsule(cluster().members)
    assert [m.capsule for m in merged] == ["a", "b", "c"]
    assert merged[0].institutions == ("University of Toronto", "Microsoft Research")
    assert [f.raw for f in merged[0].figures] == ["18%", "35%"]
    assert merged[0].method == SARIR


def test_the_field_a_rule_found_in_conflict_is_marked_and_the_odd_capsule_singled_out() -> None:
    marks, merged, odd = field_marks(cluster(), ["CA401"])
    assert marks["method"] == "conflict"
    assert marks["institutions"] == "differs", "no rule on institutions here: only 'differs'"
    by_capsule_odd = {m.capsule: fields for m, fields in zip(merged, odd, strict=True)}
    assert "method" in by_capsule_odd["c"]
    assert "method" not in by_capsule_odd["a"] and "method" not in by_capsule_odd["b"]
    assert all("institutions" not in fields for fields in odd), "only fields in conflict single out values"


def test_fields_every_capsule_states_alike_are_not_marked() -> None:
    same = Cluster(
        key="arxiv:2604.00001",
        conflicting=False,
        members=(member("a", SARIR, "SARIR", "MIT"), member("b", SARIR, "SARIR", "MIT")),
    )
    marks, _, odd = field_marks(same, [])
    assert marks == {} and odd == [[], []]


def test_without_a_majority_every_differing_value_is_marked() -> None:
    two = Cluster(
        key="arxiv:2604.00002",
        conflicting=True,
        members=(member("a", SARIR, "SARIR", "MIT"), member("b", "Adaptive Token Dropping", "ATD", "MIT")),
    )
    marks, _, odd = field_marks(two, ["CA401"])
    assert marks == {"method": "conflict"} and odd == [["method"], ["method"]]
