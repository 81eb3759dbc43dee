"""The follow-up join in the store: each capsule gets the heads of the findings naming it, once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from capsule_audit.config import AuditConfig
from capsule_audit.models.findings import Finding, Severity
from capsule_audit.rules.base import CapsuleMeta, FindingHead, RuleContext, Scope, Violation, rule
from capsule_audit.rules.engine import Engine, finding_sort_key
from capsule_audit.rules.stamp import fingerprint
from capsule_audit.store.capsules import CapsuleTable, follow_up
from capsule_audit.store.database import Store
from capsule_audit.store.findings import FindingTable
from tests.rules.capsules import NOW, record


@rule(code="CA905", name="list-heads", severity=Severity.INFO, scope=Scope.FOLLOW_UP)
def list_heads(meta: CapsuleMeta, findings: tuple[FindingHead, ...], ctx: RuleContext) -> Iterator[Violation]:
    """Lists rule, severity and key of each finding head it is given, in the order given."""
    if findings:
        yield Violation(message=" ".join(f"{f.rule}/{f.severity.value}/{f.key}" for f in findings))


def _meta(n: int) -> CapsuleMeta:
    rec = record(n)
    return CapsuleMeta(rec.id, rec.kind, rec.source, rec.name, rec.properties, rec.date_created)


def _finding(code: str, capsules: tuple[str, ...], key: str, severity: Severity) -> Finding:
    return Finding(
        rule=code,
        name="x",
        severity=severity,
        message="m",
        capsules=capsules,
        key=key,
        fingerprint=fingerprint(code, key, capsules, ""),
    )


class _Counted:
    """Findings that count how often they are read."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = list(findings)
        self.reads = 0

    def __iter__(self) -> Iterator[Finding]:
        self.reads += 1
        return iter(self.findings)


def _follow_up(engine: Engine, metas: list[CapsuleMeta], first: _Counted) -> list[Finding]:
    store = Store()
    try:
        capsules, found = CapsuleTable(store), FindingTable(store)
        for doc, meta in enumerate(metas, 1):
            capsules.add(doc, meta)
        follow_up(engine, capsules, first, found)
        return list(found.ordered())
    finally:
        store.close()


def test_follow_up_gives_each_capsule_its_findings_heads_in_report_order_reading_them_once() -> None:
    metas = [_meta(n) for n in range(1, 40)]
    metas.append(metas[4])  # one id twice: both capsules get its heads
    ids = sorted({m.id for m in metas})
    first = _Counted(
        sorted(
            [
                _finding("CA401", tuple(ids), "arxiv:1", Severity.ERROR),  # names every capsule
                *(_finding("CA301", (i,), f"arxiv:{n}", Severity.WARNING) for n, i in enumerate(ids[::3])),
                _finding("CA104", tuple(ids[:5]), "title:t", Severity.WARNING),
            ],
            key=finding_sort_key,
        )
    )
    engine = Engine(AuditConfig(), now=NOW, rules=(list_heads,))
    found = _follow_up(engine, metas, first)
    assert first.reads == 1
    assert len(found) == len(metas)
    messages = {f.capsules: f.message for f in found}
    assert messages[(ids[0],)] == "CA104/warning/title:t CA301/warning/arxiv:0 CA401/error/arxiv:1"
    assert messages[(ids[1],)] == "CA104/warning/title:t CA401/error/arxiv:1"
    assert messages[(ids[38],)] == "CA401/error/arxiv:1"  # 38: not in ids[::3], not in ids[:5]
    assert sum(1 for f in found if f.capsules == (metas[4].id,)) == 2


def test_follow_up_is_skipped_without_follow_up_rules() -> None:
    engine = Engine(AuditConfig(select=("CA401",)), now=NOW)
    assert not engine.has_follow_up
    first = _Counted([_finding("CA401", ("a",), "arxiv:1", Severity.ERROR)])
    assert _follow_up(engine, [_meta(1)], first) == []
    assert first.reads == 0
