"""The follow-up join on disk gives each capsule what the engine's in-memory pass gives it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from capsule_audit.config import AuditConfig
from capsule_audit.models.findings import Finding, Severity
from capsule_audit.rules.base import CapsuleMeta, FindingHead, RuleContext, Scope, Violation, rule
from capsule_audit.rules.engine import Engine, finding_sort_key
from capsule_audit.rules.stamp import fingerprint
from capsule_audit.store import spool
from capsule_audit.store.capsules import follow_up
from capsule_audit.store.findings import unranked
from capsule_audit.store.spool import Spool, Workspace
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


class _Counted(Spool[Finding]):
    """A spool that counts how often it is read."""

    reads = 0

    def __iter__(self) -> Iterator[Finding]:
        type(self).reads += 1
        return super().__iter__()


def test_follow_up_on_disk_matches_the_engine_and_reads_each_finding_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(spool, "RUN_ITEMS", 4)  # several sorted runs and a merge, even here
    monkeypatch.setattr(spool, "MAX_RUNS", 2)
    metas = [_meta(n) for n in range(1, 40)]
    ids = [m.id for m in metas]
    findings = sorted(
        [
            _finding("CA401", tuple(sorted(ids)), "arxiv:1", Severity.ERROR),  # names every capsule
            *(_finding("CA301", (i,), f"arxiv:{n}", Severity.WARNING) for n, i in enumerate(ids[::3])),
            _finding("CA104", tuple(sorted(ids[:5])), "title:t", Severity.WARNING),
        ],
        key=finding_sort_key,
    )
    engine = Engine(AuditConfig(), now=NOW, rules=(list_heads,))
    expected = engine.check_follow_up(metas, findings)
    with Workspace() as workspace:
        first = _Counted(workspace)
        _Counted.reads = 0
        first.extend(findings)
        rows = [(m.id, n, m) for n, m in enumerate(metas)]
        found = list(unranked(follow_up(engine, sorted(rows, key=lambda r: (r[0], r[1])), first, workspace)))
    assert _Counted.reads == 1
    by_capsule = {f.capsules: f.message for f in found}
    assert by_capsule == {f.capsules: f.message for f in expected}
    assert len(found) == len(metas)
    assert by_capsule[(ids[0],)] == "CA104/warning/title:t CA301/warning/arxiv:0 CA401/error/arxiv:1"


def test_follow_up_is_skipped_without_follow_up_rules() -> None:
    engine = Engine(AuditConfig(select=("CA401",)), now=NOW)
    assert not engine.has_follow_up
    with Workspace() as workspace:
        first = _Counted(workspace)
        _Counted.reads = 0
        first.append(_finding("CA401", ("a",), "arxiv:1", Severity.ERROR))
        assert len(follow_up(engine, [], first, workspace)) == 0
    assert _Counted.reads == 0
