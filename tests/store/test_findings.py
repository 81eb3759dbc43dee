"""Streaming finalization keeps exactly what Engine.suppress keeps; joins pair capsules with rows."""

from __future__ import annotations

from datetime import UTC, datetime

from capsule_audit.config import AuditConfig, Suppression
from capsule_audit.models.findings import Finding, Location, Severity
from capsule_audit.models.records import SourceRef
from capsule_audit.rules.engine import Engine, finding_sort_key
from capsule_audit.rules.stamp import fingerprint
from capsule_audit.store.capsules import join
from capsule_audit.store.findings import finalize

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _f(
    rule: str, capsules: tuple[str, ...], identity: str, *, field: str = "", message: str = "m"
) -> Finding:
    return Finding(
        rule=rule,
        name="x",
        severity=Severity.ERROR,
        message=message,
        capsules=capsules,
        key="k",
        location=Location(field=field or None),
        fingerprint=fingerprint(rule, "k", capsules, identity),
    )


def test_finalize_matches_engine_suppress_with_duplicates_and_suppressions() -> None:
    findings = [
        _f("CA401", ("b",), "1"),
        _f("CA401", ("a",), "1", message="first"),
        _f("CA401", ("a",), "1", message="second"),  # same fingerprint: dropped
        _f("CA401", ("a",), "1", field="text", message="third"),  # same fingerprint, other field
        _f("CA402", ("a",), "1"),
        _f("CA001", (), "doc"),
        _f("CA001", (), "doc"),  # input findings are never de-duplicated
        _f("CA301", ("c",), "2"),  # suppressed below
    ]
    config = AuditConfig(now=NOW, suppressions=(Suppression(rule="CA301", capsule="c", reason="accepted"),))
    expected = Engine(config, now=NOW).suppress(findings).findings
    streamed = tuple(finalize(sorted(findings, key=finding_sort_key), config.suppressions))
    assert streamed == expected
    assert [f.message for f in streamed if f.rule == "CA401" and f.capsules == ("a",)] == ["first"]
    assert sum(1 for f in streamed if f.rule == "CA001") == 2


def test_join_gives_every_capsule_its_rows_and_skips_unknown_ids() -> None:
    from capsule_audit.models.records import CapsuleProperties, RecordKind
    from capsule_audit.rules.base import CapsuleMeta

    def meta(capsule: str) -> CapsuleMeta:
        return CapsuleMeta(capsule, RecordKind.CAPSULE, SourceRef(path="p"), None, CapsuleProperties(), None)

    metas = [("a", 1, meta("a")), ("a", 3, meta("a")), ("c", 2, meta("c"))]
    rows = [("0", 9), ("a", 1), ("a", 2), ("b", 5), ("c", 7), ("d", 8)]
    joined = [(m[0], m[1], own) for m, own in join(metas, rows)]
    assert joined == [("a", 1, [("a", 1), ("a", 2)]), ("a", 3, [("a", 1), ("a", 2)]), ("c", 2, [("c", 7)])]
