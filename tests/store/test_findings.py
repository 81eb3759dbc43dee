"""Findings in the store: read back whole, in report order whatever the filing order, finalized."""

from __future__ import annotations

import gc
import random
import sys
from datetime import UTC, datetime

import pytest

from capsule_audit.config import AuditConfig, Suppression
from capsule_audit.models.claims import Binding, Span
from capsule_audit.models.findings import HEAD_CAPSULES, Evidence, Finding, FindingLine, Location, Severity
from capsule_audit.rules.engine import Engine, finding_sort_key
from capsule_audit.rules.stamp import fingerprint
from capsule_audit.store import finding_reads
from capsule_audit.store.database import Store
from capsule_audit.store.final import FinalFindings
from capsule_audit.store.finding_rows import CAPSULES_HEAD
from capsule_audit.store.findings import FindingTable
from tests.store.helpers import final

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


FINDINGS = [
    _f("CA401", ("b",), "1"),
    _f("CA401", ("a",), "1", message="first"),
    _f("CA401", ("a",), "1", message="second"),  # same fingerprint: dropped
    _f("CA401", ("a",), "1", field="text", message="third"),  # same fingerprint, other field
    _f("CA402", ("a",), "1"),
    _f("CA001", (), "doc"),
    _f("CA001", (), "doc"),  # input findings are never de-duplicated
    _f("CA301", ("c",), "2"),  # suppressed below
]


def _settled(
    filed: list[Finding], suppressions: tuple[Suppression, ...] = (), *, memory_limit: str | None = None
) -> list[Finding]:
    """The final findings of these, filed in this order (one batch each, when a limit is given)."""
    store = Store(memory_limit=memory_limit) if memory_limit else Store()
    try:
        table = FindingTable(store)
        for seq, f in enumerate(filed):
            table.add((0, "", "", seq, 0), f)
            if memory_limit:
                table.flush()  # one at a time: a batch of them would not fit the limit either
        return list(FinalFindings(table, suppressions))
    finally:
        store.close()


def test_settling_drops_repeated_fingerprints_and_suppressed_findings() -> None:
    config = AuditConfig(now=NOW, suppressions=(Suppression(rule="CA301", capsule="c", reason="accepted"),))
    kept = _settled(FINDINGS, config.suppressions)
    assert [(f.rule, f.capsules, f.message) for f in kept] == [
        ("CA001", (), "m"),
        ("CA001", (), "m"),
        ("CA401", ("a",), "first"),
        ("CA401", ("b",), "m"),
        ("CA402", ("a",), "m"),
    ]


def test_the_store_gives_back_every_field_in_report_order_whatever_the_filing_order() -> None:
    rich = Finding(
        rule="CA403",
        name="conflicting-figures",
        severity=Severity.WARNING,
        message="two figures",
        capsules=("a", "b"),
        claims=("c1", "c2"),
        key="arxiv:2604.00001",
        location=Location(file="f.json", line=3, pointer="/0", field="text", span=Span(start=1, end=9)),
        evidence=(
            Evidence(
                capsule="a", text="18%", span=Span(start=2, end=5), binding=Binding.POSITIONAL, claim="c1"
            ),
            Evidence(capsule="b", text="20%"),
        ),
        fingerprint="f" * 16,
        baseline="new",
    )
    # Each fingerprint once (the first filed of equal ones is what settling keeps), input findings all.
    distinct = {f.fingerprint: f for f in reversed(FINDINGS) if f.rule != "CA001"}
    findings = [*(f for f in FINDINGS if f.rule == "CA001"), *distinct.values(), rich]
    shuffled = list(findings)
    random.Random(3).shuffle(shuffled)
    got = _settled(shuffled)
    assert got == sorted(findings, key=finding_sort_key)  # every field survives the round trip
    assert rich in got


def test_equal_findings_keep_their_filing_order_and_the_audit_path_finalizes() -> None:
    engine = Engine(AuditConfig(now=NOW), now=NOW)
    got = final(engine, FINDINGS)
    same = [f.message for f in got if f.rule == "CA401" and f.capsules == ("a",)]
    assert same == ["first"]  # the first filed of equal findings is the one kept
    assert sum(1 for f in got if f.rule == "CA001") == 2


def _wide(rule: str, capsules: tuple[str, ...], label: str, identity: str = "") -> Finding:
    """A finding as wide as one naming a large group: thousands of evidence items, long sentences."""
    sentence = f"{label} " + "a long sentence quoted as evidence " * 60
    return Finding(
        rule=rule,
        name="x",
        severity=Severity.WARNING,
        message=label,
        capsules=capsules,
        key="k",
        location=Location(text=sentence),
        evidence=tuple(
            Evidence(capsule=f"c{n:05d}", text=f"{n}%", span=Span(start=0, end=2), sentence=sentence)
            for n in range(1500)
        ),
        fingerprint=fingerprint(rule, "k", capsules, identity or label),
    )


def test_wide_findings_are_read_in_report_order_under_a_memory_limit_they_exceed() -> None:
    # Each finding is ~3.5 MB of evidence: 8 of them are twice DuckDB's memory limit here, so
    # sorting whole rows would run out of memory; the narrow sort with per-batch look-ups does not.
    big = tuple(f"c{n:05d}" for n in range(400))
    filed = [
        _wide("CA403", big[1:], "fifth"),
        _wide("CA403", big, "third"),
        _wide("CA401", big, "second"),
        _wide("CA403", big, "fourth", identity="third"),  # equal to "third": filed after it, dropped
        _wide("CA504", ("a",), "seventh"),
        _wide("CA401", big[:1], "first"),
        _wide("CA403", big[2:], "sixth"),
        _wide("CA504", ("b",), "eighth"),
    ]
    got = _settled(filed, memory_limit="16MB")
    order = ["first", "second", "third", "fifth", "sixth", "seventh", "eighth"]
    assert [f.message for f in got] == order
    kept = [f for f in filed if f.message in order]
    assert got == sorted(kept, key=lambda f: order.index(f.message))  # every field read back whole


def _naming(capsules: tuple[str, ...], label: str) -> Finding:
    """A finding naming every capsule of a large group, with one evidence sentence for each."""
    return Finding(
        rule="CA104",
        name="duplicate-title",
        severity=Severity.WARNING,
        message=label,
        capsules=capsules,
        claims=tuple(f"claim-{c}" for c in capsules),
        key="title:as of",
        evidence=tuple(
            Evidence(capsule=c, text="As of April 2026", sentence=f"As of April 2026, {label} advanced. " * 3)
            for c in capsules
        ),
        fingerprint=fingerprint("CA104", "title:as of", capsules, label),
    )


def _read_back(filed: list[Finding], memory_limit: str = "16MB") -> list[Finding]:
    store = Store(memory_limit=memory_limit)
    try:
        table = FindingTable(store)
        for seq, f in enumerate(filed):
            table.add((1, "title", "title:as of", seq, 0), f)
        return list(FinalFindings(table, ()))
    finally:
        store.close()


def test_findings_naming_huge_groups_file_and_read_back_in_order_under_a_small_memory_limit() -> None:
    # Four findings name 30,000 capsules each (~40 MB of lists, all filed in one batch) under a
    # 16 MB limit: lists as columns could neither be inserted nor sorted; as rows they stream.
    ids = tuple(f"https://forgecascade.org/public/capsules/{n:08d}" for n in range(30_000))
    filed = [
        _naming(ids[2:], "from the third"),
        _naming(ids, "whole dump"),
        _naming(ids[:CAPSULES_HEAD], "head only"),
        _naming(ids[1:], "from the second"),
        _naming(ids[:3], "three"),
    ]
    got = _read_back(filed)
    assert got == sorted(filed, key=finding_sort_key)  # every list read back whole, in report order


def test_long_lists_sharing_their_head_keep_one_order_whatever_the_filing_order() -> None:
    ids = tuple(f"c{n:05d}" for n in range(3000))
    head = ids[:CAPSULES_HEAD]
    filed = [
        _naming(head + ids[100:], "skips some"),
        _naming(ids, "whole"),
        _naming(ids, "whole again"),  # same capsules, other identity: beside its twin
        _naming(head, "head only"),  # a prefix of the others: first, as `finding_sort_key` has it
        _naming(ids[:-1], "all but the last"),
    ]
    got = [f.message for f in _read_back(filed)]
    for seed in range(3):
        shuffled = list(filed)
        random.Random(seed).shuffle(shuffled)
        assert [f.message for f in _read_back(shuffled)] == got
    assert got[0] == "head only"
    assert abs(got.index("whole") - got.index("whole again")) == 1


def test_a_read_abandoned_after_the_store_closed_ends_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    # `capsule-audit audit ... | head`: the report stops reading, the store closes, and only then
    # is the half-read generator collected; its clean-up must not fail on the closed store.
    raised: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: raised.append(unraisable.exc_value))
    store = Store()
    table = FindingTable(store)
    for seq, f in enumerate(FINDINGS):
        table.add((0, "", "", seq, 0), f)
    reading = iter(FinalFindings(table, ()))
    next(reading)
    store.close()
    del reading
    gc.collect()
    assert raised == []


def _wide_store(filed: list[Finding]) -> tuple[Store, FindingTable]:
    store = Store()
    table = FindingTable(store)
    for seq, f in enumerate(filed):
        table.add((1, "title", "title:as of", seq, 0), f)
    return store, table


def test_a_suppression_naming_a_capsule_deep_in_a_wide_finding_drops_it() -> None:
    ids = tuple(f"c{n:05d}" for n in range(1000))
    filed = [_naming(ids, "wide"), _naming(ids[:3], "narrow")]
    deep = Suppression(rule="duplicate-title", capsule=ids[900], reason="accepted")  # in the side table
    assert [f.message for f in _settled(filed, (deep,))] == ["narrow"]
    head = Suppression(rule="ca104", capsule=ids[1], reason="accepted")  # inline in the narrow one too
    assert _settled(filed, (head,)) == []
    other_key = Suppression(rule="CA104", key="title:other", capsule=ids[1], reason="accepted")
    assert [f.message for f in _settled(filed, (other_key,))] == ["narrow", "wide"]


def test_counts_heads_and_severity_reads_come_from_the_store_without_rebuilding_findings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    warnings = [_naming(tuple(f"c{n:05d}" for n in range(k, k + 400)), f"w{k}") for k in range(3)]
    errors = [_f("CA401", ("a",), "1"), _f("CA402", ("c00001",), "2"), _f("CA402", ("c00001",), "2")]
    store, table = _wide_store([*warnings, *errors])
    built: list[str] = []
    original = finding_reads.finding_of
    monkeypatch.setattr(finding_reads, "finding_of", lambda *a: built.append("x") or original(*a))
    try:
        settled = FinalFindings(table, ())
        per_severity, by_rule, conflicted = settled.counts()
        assert per_severity == {"error": 2, "warning": 3, "info": 0}  # the repeated CA402 dropped
        assert by_rule == {"CA104": 3, "CA401": 1, "CA402": 1}
        assert conflicted == {"k"}  # the key of the CA4xx findings
        assert settled.rule_counts() == {
            (Severity.WARNING, "CA104", "duplicate-title"): 3,
            (Severity.ERROR, "CA401", "x"): 1,
            (Severity.ERROR, "CA402", "x"): 1,
        }
        heads = store.con.execute(
            f"SELECT capsule, rule FROM ({settled.capsule_rows()}) ORDER BY ALL"
        ).fetchall()
        assert ("c00001", "CA104") in heads and ("c00001", "CA402") in heads
        assert sum(1 for capsule, _ in heads if capsule == "c00399") == 3  # deep in the three wide ones
        assert sum(1 for capsule, _ in heads if capsule == "c00401") == 1
        assert built == []  # none of that rebuilt a finding
        warning_lines = list(settled.lines_of_severity(Severity.WARNING))
        assert [line.message for line in warning_lines] == ["w0", "w1", "w2"]
        assert [line.rule for line in settled.lines_of_severity(Severity.ERROR)] == ["CA401", "CA402"]
        assert list(settled.lines_of_severity(Severity.INFO)) == []
        assert built == []  # a line reads the finding's row, never rebuilds it
        # each line: the first capsules of its (wide, 400-capsule) finding and how many it names
        assert [line.head for line in warning_lines] == [w.capsules[:HEAD_CAPSULES] for w in warnings]
        assert [line.n_capsules for line in warning_lines] == [400, 400, 400]
        assert warning_lines == [FindingLine.of(w) for w in warnings]  # as the line of the finding at hand
        assert [f.capsules for f in settled.read() if f.rule == "CA104"] == [w.capsules for w in warnings]
        assert len(built) == 5  # read whole: each final finding rebuilt once
    finally:
        store.close()


def _inline(n: int) -> Finding:
    """A finding short enough to keep its lists in its row, with long evidence sentences."""
    sentence = f"finding {n}: " + "a long sentence quoted as evidence " * 40
    capsules = tuple(f"c{(n * 7 + k) % 101:03d}" for k in range(1 + n % 3))
    return Finding(
        rule=f"CA40{n % 3}",
        name="x",
        severity=Severity.WARNING,
        message=f"m{n}",
        capsules=capsules,
        key=f"k{n % 11}",
        evidence=tuple(
            Evidence(capsule=capsules[0], text=f"{k}%", sentence=sentence) for k in range(n % 200)
        ),
        fingerprint=fingerprint(f"CA40{n % 3}", f"k{n % 11}", capsules, str(n)),
    )


@pytest.mark.parametrize("bucket_width", [1, 7, 500, finding_reads.BUCKET_WIDTH])
def test_findings_read_by_buckets_of_any_width_come_in_report_order(
    monkeypatch: pytest.MonkeyPatch, bucket_width: int
) -> None:
    # Inline findings of many widths (a bucket of one row, buckets cut mid-rule) and wide ones.
    monkeypatch.setattr(finding_reads, "BUCKET_WIDTH", bucket_width)
    filed = [_inline(n) for n in range(300)] + [
        _wide("CA401", ("a",), "wide one"),
        _wide("CA409", ("b",), "two"),
    ]
    random.Random(5).shuffle(filed)
    assert _settled(filed) == sorted(filed, key=finding_sort_key)


def test_a_bucket_larger_than_the_store_memory_limit_is_read_whole() -> None:
    # ~28 MB of inline evidence, one bucket, under a 16 MB limit: the rows stream out of DuckDB
    # and are held (and put in order) by Arrow.
    filed = [_inline(n) for n in range(200)]
    assert sum(len(e.sentence or "") for f in filed for e in f.evidence) > 25_000_000
    assert _settled(filed, memory_limit="16MB") == sorted(filed, key=finding_sort_key)
