"""The group index: keys per kind, compact members, stable groups, blocking keys."""

from __future__ import annotations

import random
import re
import zlib

import pytest

from capsule_audit.models.claims import Binding, SourceEntry, Span
from capsule_audit.rules.base import Group, GroupKind, Member
from capsule_audit.rules.index import (
    GroupIndex,
    acronym_key,
    block_keys,
    content_digest,
    masked_parts,
    members_for,
    text_sample,
    title_key,
)
from tests.rules.capsules import citation, claim, record, subject
from tests.store.test_method_scan import credit_group

ALL = frozenset(GroupKind)


def _index(subjects: list) -> GroupIndex:  # type: ignore[type-arg]
    index = GroupIndex()
    for s in subjects:
        index.extend(members_for(s, ALL))
    return index


def test_citation_groups_hold_one_member_per_claim_and_listed_sources() -> None:
    a, b = record(1), record(2)
    cite = citation("arxiv:2604.01234")
    sa = subject(
        a, claims=(claim(a.id, "RGO helps.", cites=(cite,), method="Recursive Gradient Optimization"),)
    )
    listed = SourceEntry(
        index=0, raw="x", span=Span(start=0, end=1), citation=citation("arxiv:2604.01234", Binding.LISTED)
    )
    sb = subject(b, sources=(listed,))
    (group,) = list(_index([sa, sb]).groups([GroupKind.CITATION]))
    assert group.key == "arxiv:2604.01234"
    assert group.capsules == (a.id, b.id)
    assert [m.claim is not None for m in group.members] == [True, False]


def test_listed_source_already_bound_to_a_claim_is_not_filed_twice() -> None:
    a = record(1)
    cite = citation("arxiv:2604.01234")
    entry = SourceEntry(index=0, raw="x", span=Span(start=0, end=1), citation=cite)
    s = subject(a, claims=(claim(a.id, "x", cites=(cite,)),), sources=(entry,))
    assert [k for kind, k, _ in members_for(s, ALL) if kind is GroupKind.CITATION] == ["arxiv:2604.01234"]


def test_method_and_acronym_keys_are_normalized() -> None:
    a, b = record(1), record(2)
    sa = subject(a, claims=(claim(a.id, "x", method="Recursive Gradient-Optimization", acronym="rgo"),))
    sb = subject(b, claims=(claim(b.id, "y", method="recursive gradient optimization", acronym="RGO"),))
    index = _index([sa, sb])
    assert [g.key for g in index.groups([GroupKind.METHOD])] == ["rg"]
    assert [g.key for g in index.groups([GroupKind.ACRONYM])] == ["RGO"]
    assert acronym_key("atd cf") == "ATD-CF"


@pytest.mark.parametrize(
    ("named", "block"),
    [
        (
            [
                ("RGO", None),
                ("Recursive Gradient Optimization", None),
                ("Recursive Gradient Optimization", "RGO"),
                (None, "RGO"),
            ],
            "rg",
        ),
        ([("LoRA", None), ("Low-Rank Adaptation", None), ("low rank adaptation", "LoRA")], "lr"),
        ([(None, "SimPO"), ("Simple Preference Optimization", None)], "sp"),
    ],
)
def test_a_method_is_blocked_with_its_acronym_so_rgo_meets_its_full_name(
    named: list[tuple[str | None, str | None]], block: str
) -> None:
    recs = [record(n) for n in range(1, len(named) + 1)]
    subjects = [
        subject(r, claims=(claim(r.id, "x", method=name, acronym=acro),))
        for r, (name, acro) in zip(recs, named, strict=True)
    ]
    (group,) = list(_index(subjects).groups([GroupKind.METHOD]))
    assert (group.key, group.capsules) == (block, tuple(sorted(r.id for r in recs)))


def test_groups_keep_only_keys_shared_by_two_members_in_stable_order() -> None:
    subjects = [
        subject(record(n, name="Same Title" if n < 3 else f"Title {'ABC'[n - 3]}")) for n in range(1, 6)
    ]
    forward = list(_index(subjects).groups())
    backward = list(_index(subjects[::-1]).groups())
    assert forward == backward
    titles = [g for g in forward if g.kind is GroupKind.TITLE]
    assert [(g.key, len(g.members)) for g in titles] == [("same title", 2)]


def test_singletons_are_not_groups_but_can_be_listed() -> None:
    index = _index([subject(record(1))])
    assert list(index.groups()) == []
    assert {g.kind for g in index.groups(min_members=1)} >= {GroupKind.CAPSULE_ID, GroupKind.TITLE}


def test_only_requested_kinds_are_indexed() -> None:
    s = subject(record(1))
    assert {kind for kind, _, _ in members_for(s, frozenset({GroupKind.CAPSULE_ID}))} == {
        GroupKind.CAPSULE_ID
    }


def test_title_key_folds_case_punctuation_and_space_and_masks_dates_and_numbers() -> None:
    assert title_key("Sparse  Activation — Replay: RESULTS") == title_key("sparse activation replay results")
    assert title_key("As of April 12, 2026, x") == title_key("As of 17 April 2026 x") == "as of 0 x"
    assert title_key("Release 3.5: 40% faster") == title_key("Release 4: 25% faster")
    assert title_key("As of April 12, 2026, x") != title_key("As of April 12, 2026, y")
    assert title_key("May we train on Llama-2 7B?") == "may we train on llama 0 7b"  # 'May' alone is a word


def test_masked_parts_are_the_dates_and_numbers_as_written() -> None:
    assert masked_parts("As of April 12, 2026, GPT-4 gains 12.5% (2026-04-12)") == (
        "April 12, 2026",
        "4",
        "12.5%",
        "2026-04-12",
    )
    assert masked_parts("Sparse Activation Replay") == ()


def test_content_digest_ignores_source_but_not_content() -> None:
    a = record(1, path="a.json")
    assert content_digest(a) == content_digest(record(1, path="b.json", line=9))
    assert content_digest(a) != content_digest(record(1, text="other"))


def test_block_keys_match_for_near_duplicates_and_differ_for_unrelated_texts() -> None:
    base = " ".join(f"word{i}" for i in range(200))
    near = base.replace("word17", "changed")
    other = " ".join(f"term{i}" for i in range(200))
    assert set(block_keys(text_sample(base))) & set(block_keys(text_sample(near)))
    assert not set(block_keys(text_sample(base))) & set(block_keys(text_sample(other)))


def test_text_members_carry_a_sample_or_a_tail() -> None:
    rec = record(1, text="x" * 50 + " the end")
    entries = list(members_for(subject(rec), ALL))
    lengths = [m for kind, _, m in entries if kind is GroupKind.TEXT_LENGTH]
    blocks = [m for kind, _, m in entries if kind is GroupKind.TEXT_BLOCK]
    assert lengths[0].text_sample is not None and lengths[0].text_sample.endswith("the end")
    assert len(blocks) == 3 and len({id(m) for m in blocks}) == 1  # one member object in every band


def _many() -> list:  # type: ignore[type-arg]
    # Shared titles, citations and methods, so several kinds have real groups.
    out = []
    for n in range(1, 41):
        rec = record(n, name=f"Title {n % 7}")
        cite = citation(f"arxiv:2604.0{n % 5}000")
        method = ("Recursive Gradient Optimization", "Sparse Activation Backpropagation")[n % 2]
        out.append(subject(rec, claims=(claim(rec.id, f"claim {n}", cites=(cite,), method=method),)))
    return out


def _reference_groups(subjects: list, min_members: int = 1) -> list[Group]:  # type: ignore[type-arg]
    # The definition, in plain Python: members by (kind, key), groups by (kind, key), members in
    # (capsule, claim, citation, digest, path, index) order, then filing order.
    buckets: dict[tuple[str, str], list[Member]] = {}
    for s in subjects:
        for kind, key, member in members_for(s, ALL):
            buckets.setdefault((kind.value, key), []).append(member)

    def order(m: Member) -> tuple[str, str, str, str, str, int]:
        index = m.source.index if m.source.index is not None else -1
        return (
            m.capsule,
            m.claim.id if m.claim else "",
            m.citation.key if m.citation else "",
            m.content_digest,
            m.source.path,
            index,
        )

    return [
        credit_group(key, sorted(members, key=order))
        if kind == GroupKind.METHOD.value
        else Group(GroupKind(kind), key, tuple(sorted(members, key=order)))
        for (kind, key), members in sorted(buckets.items())
        if len(members) >= min_members
    ]


def test_groups_read_back_from_the_store_equal_the_members_filed() -> None:
    subjects = _many()
    with _index(subjects) as index:
        got = list(index.groups(min_members=1))
    expected = _reference_groups(subjects)
    assert got == expected
    # Every member kind made the round trip through rows: claims with citations and methods,
    # listed citations, capsule-level members.
    assert {g.kind for g in got} >= {
        GroupKind.CITATION,
        GroupKind.METHOD,
        GroupKind.TITLE,
        GroupKind.CAPSULE_ID,
    }
    assert any(m.claim is not None and m.claim.citations for g in got for m in g.members)
    assert any(c.cites for g in got for c in g.credits)


def test_groups_do_not_depend_on_input_order() -> None:
    subjects = _many()
    shuffled = list(subjects)
    random.Random(7).shuffle(shuffled)
    with _index(subjects) as first, _index(shuffled) as second:
        assert list(first.groups(min_members=1)) == list(second.groups(min_members=1))


def test_closing_the_index_deletes_its_store() -> None:
    index = _index(_many())
    folder = index.store.path.parent
    assert list(index.groups())
    assert folder.exists()
    with index:
        pass
    assert not folder.exists()


def test_minimums_per_kind_and_kinds_filter() -> None:
    subjects = _many()
    with _index(subjects) as index:
        got = list(index.groups(min_members={GroupKind.CITATION: 1, GroupKind.TITLE: 6}))
        assert {g.kind for g in got} == {GroupKind.CITATION, GroupKind.TITLE}
        assert all(g.size >= 6 for g in got if g.kind is GroupKind.TITLE)
        assert list(index.groups([GroupKind.METHOD], min_members={GroupKind.CITATION: 1})) == []


def _reference_block_keys(sample: str, bands: int = 3, rows: int = 2) -> tuple[str, ...]:
    # The definition: per bin, the minimum of `crc32 // bins` over the words hashed into it.
    bins = bands * rows
    minima: list[int | None] = [None] * bins
    for word in set(re.findall(r"\w{3,}", sample)):
        h = zlib.crc32(word.encode("utf-8"))
        current = minima[h % bins]
        if current is None or h // bins < current:
            minima[h % bins] = h // bins
    return tuple(
        f"{band}:"
        + ".".join("-" if m is None else format(m, "x") for m in minima[band * rows : (band + 1) * rows])
        for band in range(bands)
    )


def test_block_keys_are_the_per_bin_minima_of_the_word_hashes() -> None:
    rng = random.Random(7)
    words = [f"w{i:03d}" for i in range(60)] + ["naïve", "élan", "ab", "x_y_z"]
    for size in (0, 1, 2, 5, 40, 300):
        sample = " ".join(rng.choice(words) for _ in range(size))
        assert block_keys(sample) == _reference_block_keys(sample)
        assert block_keys(sample, bands=4, rows=3) == _reference_block_keys(sample, 4, 3)


def test_text_sample_collapses_every_kind_of_whitespace_like_a_regex_would() -> None:
    text = "\u2003Héllo\u00a0 WORLD\t\n\x0b\x1c end\u2028  " * 300
    assert text_sample(text) == re.sub(r"\s+", " ", text[:2000].casefold()).strip()[:1000]
    assert text_sample("  ") == "" and text_sample("A  b") == "a b"
