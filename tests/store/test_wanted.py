"""Which groups the scan reads: their kind's floor and what their rules need (`store.wanted`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capsule_audit.models.findings import Severity
from capsule_audit.rules.attribution import acronym_conflict
from capsule_audit.rules.base import Group, GroupKind, RuleContext, Scope, Violation, rule
from capsule_audit.rules.copies import duplicate_title
from capsule_audit.rules.declared import Counted, GroupNeeds
from capsule_audit.rules.index import GroupIndex, members_for
from capsule_audit.rules.registry import BUILTIN_RULES
from capsule_audit.store import groups as store_groups
from capsule_audit.store.group_batches import GroupBatch
from capsule_audit.store.groups import WANTED
from capsule_audit.store.wanted import needs_by_kind
from tests.rules.capsules import claim, ctx, record, subject
from tests.store.helpers import scanned_column

ACRONYM = frozenset({GroupKind.ACRONYM})
NAMES = {
    "RGO": ["Recursive Gradient Optimization"] * 3,  # one name in three capsules: cannot conflict
    "SAR": ["Sparse Activation Replay", "Selective Attention Routing"],  # two: read
    "DPO": ["Direct Preference Optimization", "Direct preference optimization"],  # two spellings: read
    "TCP": [None, None, "Token Curriculum Pruning"],  # bare acronyms and one name: cannot conflict
}


def _index(names: dict[str, list[str | None]]) -> GroupIndex:
    """One capsule per (acronym, name) given, each a claim naming the method so."""
    index = GroupIndex()
    n = 0
    for acronym, given_names in names.items():
        for name in given_names:
            n += 1
            rec = record(n)
            made = claim(rec.id, f"{acronym} helps ({n}).", method=name, acronym=acronym)
            index.extend(members_for(subject(rec, claims=(made,)), ACRONYM))
    return index


def _keys(groups: Iterator[Group]) -> list[str]:
    return [g.key for g in groups]


def test_an_acronym_whose_claims_all_give_one_name_is_not_read() -> None:
    needs = needs_by_kind(BUILTIN_RULES)
    assert needs[GroupKind.ACRONYM] == (GroupNeeds(Counted.METHOD_NAMES, 2),)
    with _index(NAMES) as index:
        assert _keys(index.groups([GroupKind.ACRONYM])) == ["DPO", "RGO", "SAR", "TCP"]
        assert _keys(index.groups([GroupKind.ACRONYM], needs=needs)) == ["DPO", "SAR"]
        # Needs narrow beyond the floor, never below it.
        assert _keys(index.groups([GroupKind.ACRONYM], min_members=3, needs=needs)) == []


def test_a_kind_is_read_whole_when_one_of_its_selected_rules_declares_nothing() -> None:
    @rule(
        code="CA990",
        name="any-acronym",
        severity=Severity.INFO,
        scope=Scope.GROUP,
        group_by=GroupKind.ACRONYM,
    )
    def any_acronym(group: Group, ctx: RuleContext) -> Iterator[Violation]:
        """Every acronym."""
        yield from ()

    assert GroupKind.ACRONYM not in needs_by_kind([acronym_conflict, any_acronym])
    assert needs_by_kind([acronym_conflict, duplicate_title]) == {
        GroupKind.ACRONYM: (GroupNeeds(Counted.METHOD_NAMES),)
    }
    with _index(NAMES) as index:
        assert _keys(
            index.groups([GroupKind.ACRONYM], needs=needs_by_kind([acronym_conflict, any_acronym]))
        ) == [
            "DPO",
            "RGO",
            "SAR",
            "TCP",
        ]


def test_a_group_is_read_when_it_holds_what_one_of_its_rules_needs() -> None:
    three = {GroupKind.ACRONYM: (GroupNeeds(Counted.METHOD_NAMES, 3), GroupNeeds(Counted.METHOD_NAMES, 2))}
    only_three = {GroupKind.ACRONYM: (GroupNeeds(Counted.METHOD_NAMES, 3),)}
    with _index({**NAMES, "ABC": ["Alpha", "Beta", "Gamma"]}) as index:
        assert _keys(index.groups([GroupKind.ACRONYM], needs=three)) == ["ABC", "DPO", "SAR"]
        assert _keys(index.groups([GroupKind.ACRONYM], needs=only_three)) == ["ABC"]


def test_needs_is_for_group_rules_only() -> None:
    with pytest.raises(TypeError, match="GROUP"):
        rule(
            code="CA991",
            name="x",
            severity=Severity.INFO,
            scope=Scope.CAPSULE,
            needs=GroupNeeds(Counted.METHOD_NAMES),
        )(lambda subject, ctx: iter(()))


_NAME = st.sampled_from(
    [
        None,
        "Sparse Activation Replay",
        "sparse activation replay",
        "Selective Attention Routing",
        "Sparse Activation",
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["SAR", "RGO", "TCP"]), st.lists(_NAME, min_size=1, max_size=5), min_size=1
    )
)
def test_ca405_finds_the_same_in_the_groups_read_as_in_every_group(
    names: dict[str, list[str | None]],
) -> None:
    needs = needs_by_kind([acronym_conflict])
    with _index(names) as index:
        every = list(index.groups([GroupKind.ACRONYM]))
        read = list(index.groups([GroupKind.ACRONYM], needs=needs))

    def found(groups: list[Group]) -> list[Violation]:
        return [v for g in groups for v in acronym_conflict.check(g, ctx())]  # type: ignore[misc]

    assert found(read) == found(every)
    for g in every:  # and a group left out is one whose claims give fewer than two names
        names_given = {
            m.claim.method.name for m in g.members if m.claim and m.claim.method and m.claim.method.name
        }
        assert (g.key in _keys(iter(read))) == (len(names_given) >= 2)


def test_the_scan_reads_no_group_its_rules_cannot_use(monkeypatch: pytest.MonkeyPatch) -> None:
    """What `batches` hands on is what the SQL wanted: the skipped groups' rows are never read."""
    scanned = scanned_column(monkeypatch, "key")
    with _index(NAMES) as index:
        list(index.batches([GroupKind.ACRONYM], needs=needs_by_kind(BUILTIN_RULES)))
    assert sorted(set(scanned)) == ["DPO", "SAR"]
    assert len(scanned) == 4  # two members each


def test_the_members_are_joined_to_the_wanted_keys_built_on_the_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB builds a semi join's hash table on the side it estimates smaller. Joined to the
    `WITH` that counts the groups, the wanted keys were estimated above the members and the
    table built on the members (RIGHT_SEMI): at 1,000,000 capsules, 3,000,000 METHOD member rows,
    out of the store's 256 MB (a store this small is planned right either way). Made a table
    first, the keys are counted and built on: each scan reads them from that table."""
    plans: list[str] = []
    for name in ("cut", "cut_credits"):  # member scans and METHOD credit scans
        real = getattr(store_groups, name)

        def explained(con: Any, scan: str, *rest: Any, real: Any = real) -> Iterator[GroupBatch]:
            plans.append(con.execute(f"EXPLAIN {scan}").fetchall()[0][1])
            return real(con, scan, *rest)  # type: ignore[no-any-return]

        monkeypatch.setattr(store_groups, name, explained)
    with GroupIndex() as index:
        for n, (acronym, name) in enumerate([("RGO", "Recursive Gradient Optimization")] * 3, 1):
            made = claim(
                record(n).id, f"{name} ({acronym}) helps, arXiv:2604.0123{n}.", method=name, acronym=acronym
            )
            index.extend(members_for(subject(record(n), claims=(made,)), frozenset(GroupKind)))
        read = list(index.groups(min_members=1))
        left = {t for (t,) in index.store.con.execute("SHOW TABLES").fetchall()}
    assert {g.kind for g in read} >= {GroupKind.ACRONYM, GroupKind.METHOD}
    assert len(plans) >= 2
    for plan in plans:
        joins = re.findall(r"Join Type: (\w+)", plan)
        assert "SEMI" in joins and "RIGHT_SEMI" not in joins
        assert re.search(rf"Table: \S*{WANTED}_\d+", plan)
    assert not [t for t in left if t.startswith(WANTED)]  # dropped once read
