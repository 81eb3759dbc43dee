"""The follow-up join in the store: each capsule gets the heads of the findings naming it, once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from capsule_audit.config import AuditConfig
from capsule_audit.models.findings import Finding, Severity
from capsule_audit.rules.base import CapsuleMeta, FindingHead, RuleContext, Scope, Violation, rule
from capsule_audit.rules.declared import HeadsRead
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


@rule(
    code="CA906",
    name="list-read-heads",
    severity=Severity.INFO,
    scope=Scope.FOLLOW_UP,
    reads=HeadsRead(
        severities=frozenset({Severity.ERROR, Severity.WARNING}), rule_prefixes=("CA3", "CA104"), keyed=True
    ),
)
def list_read_heads(
    meta: CapsuleMeta, findings: tuple[FindingHead, ...], ctx: RuleContext
) -> Iterator[Violation]:
    """Lists the heads it is given, like CA905, but reads only some findings."""
    yield from list_heads.check(meta, findings, ctx)  # type: ignore[misc]


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
    per_capsule: int = 1,
) -> list[Finding]:
    """The follow-up findings of these capsules, given `first` (filed in this order); `follow_ups`:
    the capsules expected to get `per_capsule` (each time they are read)."""
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
        assert table.filed - len(first) == per_capsule * sum(1 for m in metas if m.id in follow_ups)
        return [f for f in settled if f.rule in {list_heads.code, list_read_heads.code}]
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


def _read_test_findings(ids: list[str]) -> list[Finding]:
    return [
        _finding("CA401", tuple(ids), "arxiv:1", Severity.ERROR),  # a family CA906 does not read
        _finding("CA301", (ids[0],), "arxiv:2", Severity.WARNING),  # read
        _finding("CA301", (ids[0],), "arxiv:3", Severity.INFO),  # a severity it does not read
        _finding("CA104", (ids[0], ids[1]), "title:t", Severity.ERROR),  # read
        _finding("CA302", (ids[1],), "", Severity.ERROR),  # no key
    ]


def test_a_follow_up_rule_gets_only_the_heads_it_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = sorted(m.id for m in (_meta(n) for n in range(1, 4)))
    engine = Engine(AuditConfig(), now=NOW, rules=(list_read_heads,))
    metas = [_meta(n) for n in range(1, 4)]
    found = _follow_up(engine, metas, _read_test_findings(ids), monkeypatch, follow_ups=frozenset(ids[:2]))
    assert {f.capsules: f.message for f in found} == {
        (ids[0],): "CA104/error/title:t CA301/warning/arxiv:2",
        (ids[1],): "CA104/error/title:t",
    }  # ids[2]: named only by CA401, which CA906 does not read: no heads, no finding


def test_every_head_goes_to_all_when_one_follow_up_rule_reads_all(monkeypatch: pytest.MonkeyPatch) -> None:
    metas = [_meta(n) for n in range(1, 4)]
    ids = sorted(m.id for m in metas)
    engine = Engine(AuditConfig(), now=NOW, rules=(list_heads, list_read_heads))
    found = _follow_up(
        engine, metas, _read_test_findings(ids), monkeypatch, follow_ups=frozenset(ids), per_capsule=2
    )
    by_rule = {(f.rule, f.capsules): f.message for f in found}
    assert (
        by_rule[("CA906", (ids[1],))]
        == by_rule[("CA905", (ids[1],))]
        == ("CA104/error/title:t CA302/error/ CA401/error/arxiv:1")
    )
    assert by_rule[("CA906", (ids[2],))] == "CA401/error/arxiv:1"


def test_only_follow_up_rules_declare_what_they_read() -> None:
    with pytest.raises(TypeError, match="FOLLOW_UP"):
        rule(code="CA907", name="x", severity=Severity.INFO, scope=Scope.CAPSULE, reads=HeadsRead())(
            lambda subject, ctx: iter(())
        )
