"""The engine: selection, severity overrides, scopes, suppressions, dedupe and order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from capsule_audit.config import AuditConfig, Suppression
from capsule_audit.errors import ConfigError
from capsule_audit.models.findings import Finding, Severity
from capsule_audit.rules.base import (
    CapsuleMeta,
    FindingHead,
    Group,
    GroupKind,
    Member,
    RuleContext,
    Scope,
    Subject,
    Violation,
    rule,
)
from capsule_audit.rules.engine import Engine
from capsule_audit.rules.selection import check_selectors, matches, select_rules, severity_override
from tests.rules.capsules import NOW, record, subject
from tests.store.helpers import final


@rule(code="CA901", name="every-capsule", severity=Severity.WARNING, scope=Scope.CAPSULE)
def every_capsule(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """Fires once per capsule."""
    yield Violation(message="seen", key=f"k:{subject.record.id[-1]}")


@rule(code="CA902", name="pair-group", severity=Severity.ERROR, scope=Scope.GROUP, group_by=GroupKind.TITLE)
def pair_group(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """Fires once per title group, and a second time with the same identity."""
    yield Violation(message="group", key=group.key)
    yield Violation(message="group again", key=group.key)


@rule(code="CA903", name="count-findings", severity=Severity.INFO, scope=Scope.FOLLOW_UP)
def count_findings(
    meta: CapsuleMeta, findings: tuple[FindingHead, ...], ctx: RuleContext
) -> Iterator[Violation]:
    """Reports how many findings name the capsule."""
    if findings:
        yield Violation(message=str(len(findings)), identity=str(len(findings)))


RULES = (every_capsule, pair_group, count_findings)


def engine(**config: object) -> Engine:
    return Engine(AuditConfig(**config), now=NOW, rules=RULES)  # type: ignore[arg-type]


def _meta(n: int) -> CapsuleMeta:
    rec = record(n)
    return CapsuleMeta(rec.id, rec.kind, rec.source, rec.name, rec.properties, rec.date_created)


def test_selectors_match_code_name_and_family() -> None:
    assert matches(pair_group, "CA902") and matches(pair_group, "ca902")
    assert matches(pair_group, "pair-group") and matches(pair_group, "CA9")
    assert not matches(pair_group, "CA901") and not matches(pair_group, "CA1")
    assert select_rules(RULES, select=["CA9"], ignore=["pair-group"]) == (every_capsule, count_findings)


def test_unknown_selector_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        check_selectors(["CA999"], RULES)
    with pytest.raises(ConfigError):
        engine(select=("no-such-rule",))


def test_most_specific_severity_override_wins() -> None:
    overrides = {"CA9": Severity.INFO, "pair-group": Severity.WARNING}
    assert severity_override(pair_group, overrides) is Severity.WARNING
    assert severity_override(every_capsule, overrides) is Severity.INFO


def test_capsule_rules_stamp_code_name_severity_and_capsule() -> None:
    rec = record(1)
    (found,) = engine(select=("CA901",)).check_capsule(subject(rec))
    assert (found.rule, found.name, found.severity, found.capsules) == (
        "CA901",
        "every-capsule",
        Severity.WARNING,
        (rec.id,),
    )
    assert found.location.file == rec.source.path


def test_ignored_rule_does_not_run() -> None:
    assert engine(ignore=("CA901",)).check_capsule(subject(record(1))) == []


def test_severity_override_applies_to_findings() -> None:
    (found,) = engine(severity={"CA901": Severity.ERROR}).check_capsule(subject(record(1)))
    assert found.severity is Severity.ERROR


def test_group_rules_run_only_on_groups_of_two_or_more() -> None:
    a, b = record(1), record(2)
    single = Group(GroupKind.TITLE, "solo", (Member(a.id, a.source),))
    pair = Group(GroupKind.TITLE, "t", (Member(a.id, a.source), Member(b.id, b.source)))
    other_kind = Group(GroupKind.METHOD, "m", pair.members)
    found = engine().check_groups([single, pair, other_kind])
    assert {(f.rule, f.key, f.capsules) for f in found} == {("CA902", "t", (a.id, b.id))}
    assert engine().group_kinds == frozenset({GroupKind.TITLE})


def test_suppress_dedupes_fingerprints_and_splits_suppressed() -> None:
    a, b = record(1), record(2)
    pair = Group(GroupKind.TITLE, "t", (Member(a.id, a.source), Member(b.id, b.source)))
    eng = engine(suppressions=(Suppression(rule="CA901", capsule=a.id, reason="accepted"),))
    findings = [*eng.check_groups([pair]), *eng.check_capsule(subject(a)), *eng.check_capsule(subject(b))]
    result = final(eng, [*findings, *findings])  # each one twice: one pair seen in two blocks
    assert [(f.rule, f.capsules) for f in result] == [("CA901", (b.id,)), ("CA902", (a.id, b.id))]


def test_follow_up_sees_the_findings_of_its_capsule() -> None:
    eng = engine()
    a = record(1)
    findings = eng.check_capsule(subject(a))
    found = [f for f in final(eng, findings, [_meta(1), _meta(2)]) if f.rule == "CA903"]
    assert [(f.rule, f.capsules, f.message) for f in found] == [("CA903", (a.id,), "1")]


def test_order_does_not_depend_on_input_order() -> None:
    eng = engine()
    subjects = [subject(record(n)) for n in range(1, 6)]
    forward = final(eng, [f for s in subjects for f in eng.check_capsule(s)])
    backward = final(eng, [f for s in reversed(subjects) for f in eng.check_capsule(s)])
    assert forward == backward
    assert [f.key for f in forward] == sorted(f.key or "" for f in forward)


def test_restamp_drops_deselected_input_findings_and_overrides_severity() -> None:
    finding = Finding(rule="CA901", name="every-capsule", severity=Severity.WARNING, message="x")
    assert engine(ignore=("CA901",)).restamp(finding) is None
    stamped = engine(severity={"CA9": Severity.INFO}).restamp(finding)
    assert stamped is not None and stamped.severity is Severity.INFO


def test_identical_rejected_documents_are_each_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two identical broken NDJSON lines are two rejected documents: two findings, counts add up."""
    from capsule_audit.api import audit

    broken = b'{"@type": "CreativeWork", "name": }\n'
    (tmp_path / "a.jsonl").write_bytes(broken + broken)
    (tmp_path / "b.jsonl").write_bytes(broken)
    report = audit([str(tmp_path)], AuditConfig())
    ca001 = [f for f in report.findings if f.rule == "CA001"]
    assert report.summary.rejected == 3 == len(ca001)
    assert {f.location.file for f in ca001} == {str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")}
    assert len({f.fingerprint for f in ca001}) == 1, (
        "an input finding's identity is its content, not its place"
    )


@rule(
    code="CA904",
    name="any-title",
    severity=Severity.INFO,
    scope=Scope.GROUP,
    group_by=GroupKind.TITLE,
    min_members=1,
)
def any_title(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """Fires on every title group, one member or more."""
    yield Violation(message="title", key=group.key)


def test_each_group_rule_gets_only_groups_of_its_own_minimum() -> None:
    a, b = record(1), record(2)
    single = Group(GroupKind.TITLE, "solo", (Member(a.id, a.source),))
    pair = Group(GroupKind.TITLE, "t", (Member(a.id, a.source), Member(b.id, b.source)))
    eng = Engine(AuditConfig(), now=NOW, rules=(*RULES, any_title))
    assert eng.group_minimums == {GroupKind.TITLE: 1}
    assert engine().group_minimums == {GroupKind.TITLE: 2}
    found = {(f.rule, f.key) for f in eng.check_groups([single, pair])}
    assert found == {("CA904", "solo"), ("CA904", "t"), ("CA902", "t")}


def test_group_findings_come_out_in_group_key_order_whatever_the_input_order() -> None:
    a, b = record(1), record(2)
    groups = [Group(GroupKind.TITLE, key, (Member(a.id, a.source), Member(b.id, b.source))) for key in "cab"]
    eng = engine()
    forward = eng.check_groups(groups)
    assert [f.key for f in forward] == ["a", "a", "b", "b", "c", "c"]
    assert eng.check_groups(groups[::-1]) == forward


def test_rejected_documents_are_listed_by_file_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from capsule_audit.api import audit

    (tmp_path / "b.jsonl").write_bytes(b'{"x": }\n{"y": }\n')
    (tmp_path / "a.jsonl").write_bytes(b'{"z": }\n')
    report = audit([str(tmp_path)], AuditConfig())
    places = [(f.location.file, f.location.line) for f in report.findings if f.rule == "CA001"]
    assert places == [
        (str(tmp_path / "a.jsonl"), 1),
        (str(tmp_path / "b.jsonl"), 1),
        (str(tmp_path / "b.jsonl"), 2),
    ]


@rule(code="CA904", name="list-findings", severity=Severity.INFO, scope=Scope.FOLLOW_UP)
def list_findings(
    meta: CapsuleMeta, findings: tuple[FindingHead, ...], ctx: RuleContext
) -> Iterator[Violation]:
    """Lists the rule and key of each finding it is given, in the order given."""
    if findings:
        yield Violation(message=" ".join(f"{f.rule}:{f.key}" for f in findings))


def test_follow_up_gets_each_capsules_findings_in_report_order_whatever_the_input_order() -> None:
    eng = Engine(AuditConfig(), now=NOW, rules=(every_capsule, pair_group, list_findings))
    a, b = record(1), record(2)
    pair = Group(GroupKind.TITLE, "t", (Member(a.id, a.source), Member(b.id, b.source)))
    findings = [*eng.check_groups([pair]), *eng.check_capsule(subject(a)), *eng.check_capsule(subject(b))]
    metas = [_meta(1), _meta(2)]
    forward = [f for f in final(eng, findings, metas) if f.rule == "CA904"]
    backward = [f for f in final(eng, findings[::-1], metas) if f.rule == "CA904"]
    assert [f.message for f in forward] == [f.message for f in backward]
    # Rule, then key order; the repeated CA902 (same fingerprint) was de-duplicated before.
    assert [f.message for f in forward] == ["CA901:k:0 CA902:t"] * 2
    assert [f.location.line for f in forward] == [1, 2]  # each capsule's own file position


def test_group_findings_without_a_location_point_at_the_first_capsules_source() -> None:
    b, a = record(2, path="b.json"), record(1, path="a.json")
    pair = Group(GroupKind.TITLE, "t", (Member(b.id, b.source), Member(a.id, a.source)))
    found = engine().check_groups([pair])
    assert {(f.location.file, f.location.line) for f in found} == {("a.json", 1)}
    assert all(f.capsules == (a.id, b.id) for f in found)


@rule(
    code="CA904", name="second-only", severity=Severity.WARNING, scope=Scope.GROUP, group_by=GroupKind.TITLE
)
def second_only(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """Names only the group's last capsule."""
    yield Violation(message="last", capsules=(max(m.capsule for m in group.members),), key=group.key)


def test_a_group_finding_points_into_a_capsule_it_names() -> None:
    b, a = record(2, path="b.json"), record(1, path="a.json")
    pair = Group(GroupKind.TITLE, "t", (Member(b.id, b.source), Member(a.id, a.source)))
    eng = Engine(AuditConfig(), now=NOW, rules=(second_only,))
    (found,) = eng.check_groups([pair])
    assert found.capsules == (b.id,)
    assert (found.location.file, found.location.line, found.location.capsule) == ("b.json", 2, b.id)
    (both,) = [f for f in engine().check_groups([pair]) if f.message == "group"]
    assert both.location.capsule == a.id  # the first member, named by the finding
