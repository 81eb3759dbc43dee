"""METHOD groups read back as credits (`store.method_scan`): what their members' claims credit."""

from __future__ import annotations

import pytest

from capsule_audit.claims.extract import extract
from capsule_audit.models.claims import Binding
from capsule_audit.rules.base import Group, GroupKind, Member, Subject
from capsule_audit.rules.credited import ClaimCredit, QuotedClaim, StatedFigure
from capsule_audit.rules.index import members_for
from capsule_audit.store import group_batches, method_scan
from capsule_audit.store.groups import GroupIndex
from tests.rules.capsules import record

# A method item whose claims share its citations (`cit_from`) and its Source line (`src_from`),
# a cut-off arXiv ID, a DOI, a URL, figures with a measure and without, a Sources list.
TEXT = (
    "## Methods\n\n1. **Method Alpha (MA)**\n"
    "   MA cuts memory usage by 40% (arXiv:2601.00001). Finding 1 is stated. Result 2 holds"
    " arXiv:2601.00002 and doi:10.1000/xyz.5. MA reaches 71.2% accuracy on MMLU.\n"
    "   Source: https://example.org/alpha\n\n"
    "2. **Method Beta (MB)**\n   MB is faster by 2x (arXiv:2602.0\n   Source: arXiv:2603.00003\n\n"
    "## Key Findings\n\nMA improves training time by 12%.\n\n## Sources\n\n1. arXiv:2604.00004\n"
)


def credit_group(key: str, members: list[Member]) -> Group:
    """The definition, in plain Python: the first member (in member order, as given) of each
    (capsule, claim), in (capsule, claim start, claim id) order, with what its claim credits."""
    firsts: dict[tuple[str, str], Member] = {}
    for m in members:
        assert m.claim is not None
        firsts.setdefault((m.capsule, m.claim.id), m)
    credits = []
    for m in firsts.values():
        c = m.claim
        assert c is not None
        cited = (*c.citations, *c.item_sources)
        bound = {x.binding for x in cited} & {Binding.EXPLICIT, Binding.POSITIONAL}
        credits.append(
            ClaimCredit(
                capsule=m.capsule,
                claim=QuotedClaim(c.id, c.span.start, c.span.end, c.quote),
                binding=Binding.POSITIONAL if bound == {Binding.POSITIONAL} else Binding.EXPLICIT,
                method=c.method,
                cites=tuple(
                    (x.key, x.binding)
                    for x in cited
                    if x.scheme in ("arxiv", "doi") and not x.truncated and x.binding is not Binding.LISTED
                ),
                figures=tuple(
                    StatedFigure(f.measure, f.unit, f.value, f.direction, f.raw)
                    for f in c.figures
                    if f.measure
                ),
                where=(m.source.path, m.source.line, m.source.index, m.source.pointer),
                astral=m.astral,
            )
        )
    credits.sort(key=lambda cr: (cr.capsule, cr.claim.span.start, cr.claim.id))
    return Group(GroupKind.METHOD, key, (), tuple(credits), len(members))


def _filed(subjects: list[Subject]) -> dict[str, list[Member]]:
    """Each METHOD key's members in member order (capsule, claim id, path, index, filing order)."""
    by_key: dict[str, list[Member]] = {}
    for s in subjects:
        for _, key, member in members_for(s, frozenset({GroupKind.METHOD})):
            by_key.setdefault(key, []).append(member)
    return {
        key: sorted(
            found,
            key=lambda m: (m.capsule, m.claim.id if m.claim else "", m.source.path, m.source.index or -1),
        )
        for key, found in sorted(by_key.items())
    }


def _subjects(*records: object) -> list[Subject]:
    return [Subject(record=r, extracted=extract(r)) for r in records]  # type: ignore[arg-type]


def _read(subjects: list[Subject]) -> list[Group]:
    with GroupIndex() as index:
        for s in subjects:
            index.extend(members_for(s, frozenset({GroupKind.METHOD})))
        return list(index.groups([GroupKind.METHOD], min_members=1))


def test_credits_are_what_the_members_claims_credit_shared_tuples_resolved() -> None:
    subjects = _subjects(record(2, text=TEXT), record(1, text=TEXT))
    got = _read(subjects)
    assert got == [credit_group(key, found) for key, found in _filed(subjects).items()]
    # The claims citing nothing of their own take their item's citations and Source line.
    (alpha,) = [g for g in got if any(c.method and c.method.acronym == "MA" for c in g.credits)]
    shared = [c for c in alpha.credits if c.claim.quote == "Finding 1 is stated."]
    assert [c.cites for c in shared] == [
        (
            ("arxiv:2601.00001", Binding.EXPLICIT),
            ("arxiv:2601.00002", Binding.EXPLICIT),
            ("doi:10.1000/xyz.5", Binding.EXPLICIT),
        ),
    ] * 2
    assert {f.measure for c in alpha.credits for f in c.figures} == {"memory usage"}


def test_a_capsule_filed_twice_is_credited_from_its_first_member() -> None:
    # One @id in two documents: each claim is credited once, from its first member in member
    # order, and the capsule is placed at its first member's source.
    first, second = record(1, text=TEXT, path="a.ndjson"), record(1, text=TEXT, path="b.ndjson")
    subjects = _subjects(second, first)
    got = _read(subjects)
    assert got == [credit_group(key, found) for key, found in _filed(subjects).items()]
    for group in got:
        assert len({c.claim.id for c in group.credits}) == len(group.credits)
        assert group.size == 2 * len(group.credits)
        assert [placed.source.path for placed in group.placed()] == ["a.ndjson"]  # filed second


@pytest.mark.parametrize(
    ("batch_rows", "run_rows", "lookup_rows"),
    [(1, 1, 1), (2, 3, 2), (10**6, 10**6, 3), (10**6, 10**6, 10**6)],
)
def test_credits_do_not_depend_on_how_the_scan_is_cut(
    batch_rows: int, run_rows: int, lookup_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches, runs of batches, and the claims looked up per query (a shared tuple's owner may
    # be looked up in another query than the claim sharing it).
    subjects = _subjects(*(record(n, text=TEXT) for n in range(1, 6)))
    monkeypatch.setattr(group_batches, "BATCH_ROWS", batch_rows)
    monkeypatch.setattr(group_batches, "RUN_ROWS", run_rows)
    monkeypatch.setattr(method_scan, "LOOKUP_ROWS", lookup_rows)
    assert _read(subjects) == [credit_group(key, found) for key, found in _filed(subjects).items()]
