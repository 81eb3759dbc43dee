"""The follow-up join in the store: each capsule gets the heads of the findings naming it, once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from capsule_audit.config import AuditConfig
from capsule_audit.models.findings import Finding, Severity
from capsule_audit.rules.base import CapsuleMeta, FindingHead, RuleContext, Scope, Violation, rule
from capsule_audit.rules.engine import Engine
from capsule_audit.rules.stamp import fingerprint
from capsule_audit.store import collect, finding_reads
from capsule_audit.store.capsules import CapsuleTable
from capsule_audit.store.collect import final_findings
from capsule_audit.store.database import Store
from capsule_audit.store.finding_reads import finding_of
from capsule_audit.store.finding_rows import INLINE_WIDTH
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


def _follow_up(
    engine: Engine,
    metas: list[CapsuleMeta],
    first: list[Finding],
    monkeypatch: pytest.MonkeyPatch,
    *,
    follow_ups: frozenset[str] = frozenset(),
) -> list[Finding]:
    """The follow-up findings of these capsules, given `first` (filed in this order); `follow_ups`:
    the capsules expected to get one (each time they are read)."""
    rebuilt: list[Finding] = []
    store = Store()
    try:
        capsules, table = CapsuleTable(store), FindingTable(store)
        for doc, meta in enumerate(metas, 1):
            capsules.add(doc, meta)
        for seq, f in enumerate(first):
            table.add((0, "", "", seq, 0), f)
        with monkeypatch.context() as patched:  # the heads come from the store: no finding is rebuilt
            patched.setattr(
                finding_reads, "finding_of", lambda *a: rebuilt.append(finding_of(*a)) or rebuilt[-1]
            )
            settled = final_findings(engine, capsules, table)
        assert rebuilt == []
        assert table.filed - len(first) == sum(1 for m in metas if m.id in follow_ups)  # one per capsule
        return [f for f in settled if f.rule == list_heads.code]
    finally:
        store.close()


def test_follow_up_gives_each_capsule_its_findings_heads_in_report_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    metas = [_meta(n) for n in range(1, 40)]
    metas.append(metas[4])  # one id twice: both capsules get its heads
    ids = sorted({m.id for m in metas})
    wide = tuple(f"https://example.org/other/{n}" for n in range(INLINE_WIDTH))  # past a row's lists
    first = [
        _finding("CA401", tuple(ids), "arxiv:1", Severity.ERROR),  # names every capsule
        *(_finding("CA301", (i,), f"arxiv:{n}", Severity.WARNING) for n, i in enumerate(ids[::3])),
        _finding("CA104", tuple(ids[:5]), "title:t", Severity.WARNING),
        _finding("CA104", (*wide, ids[7]), "title:w", Severity.INFO),  # ids[7] in its own rows
        _finding("CA301", (ids[0],), "arxiv:0", Severity.WARNING),  # a repeat: one head only
    ]
    engine = Engine(AuditConfig(), now=NOW, rules=(list_heads,))
    found = _follow_up(engine, metas, first, monkeypatch, follow_ups=frozenset(ids))
    assert len(found) == len(ids)  # the capsule read twice: its two equal findings reported once
    messages = {f.capsules: f.message for f in found}
    assert messages[(ids[0],)] == "CA104/warning/title:t CA301/warning/arxiv:0 CA401/error/arxiv:1"
    assert messages[(ids[1],)] == "CA104/warning/title:t CA401/error/arxiv:1"
    assert messages[(ids[38],)] == "CA401/error/arxiv:1"  # 38: not in ids[::3], not in ids[:5]
    assert messages[(ids[7],)] == "CA104/info/title:w CA401/error/arxiv:1"


def test_follow_up_is_skipped_without_follow_up_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine(AuditConfig(select=("CA401",)), now=NOW)
    assert not engine.has_follow_up
    called: list[str] = []
    monkeypatch.setattr(collect, "follow_up", lambda *a: called.append("follow-up"))
    assert (
        _follow_up(engine, [_meta(1)], [_finding("CA401", ("a",), "arxiv:1", Severity.ERROR)], monkeypatch)
        == []
    )
    assert called == []
