"""Models rebuilt from store rows share one object per repeated value of a small vocabulary."""

from __future__ import annotations

from capsule_audit.claims.extract import extract
from capsule_audit.rules.base import GroupKind, Subject
from capsule_audit.rules.index import members_for
from capsule_audit.store.groups import GroupIndex
from tests.rules.capsules import record

TEXT = "## Key Findings\n\nSparse Activation Replay (SAR) cuts memory use by 40% (arXiv:2604.01234).\n"


def test_claims_of_different_capsules_share_their_repeated_values() -> None:
    # Arrow hands every row its own copy of a string: a giant ACRONYM group held one
    # 'Key Findings', one 'arxiv', one '%' ... per claim.
    with GroupIndex() as index:
        for n in (1, 2):
            rec = record(n, text=TEXT)
            index.extend(
                members_for(Subject(record=rec, extracted=extract(rec)), frozenset({GroupKind.ACRONYM}))
            )
        (group,) = list(index.groups([GroupKind.ACRONYM]))
    first, second = (m.claim for m in group.members)
    assert first is not None and second is not None and first.capsule != second.capsule
    assert first.section is second.section
    (a,), (b,) = first.citations, second.citations
    assert a.key == "arxiv:2604.01234" and a.key is b.key and a.scheme is b.scheme
    assert first.method is not None and second.method is not None
    assert first.method.name is second.method.name and first.method.acronym is second.method.acronym
    (fa,), (fb,) = first.figures, second.figures
    assert fa.unit == "%" and fa.unit is fb.unit and fa.measure is fb.measure
    # A member's capsule is its claim's, and members of one file share its path.
    for m in group.members:
        assert m.claim is not None and m.capsule is m.claim.capsule
    assert group.members[0].source.path is group.members[1].source.path
