"""Baselines: a round trip accepts everything; a new finding alone is `new` and fails the run;
the file is sorted, stable and written from the store."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from capsule_audit.api import audit_stream
from capsule_audit.baseline import baseline_entry, exit_code_of, iter_failing, read_baseline, write_baseline
from capsule_audit.config import AuditConfig
from capsule_audit.errors import UsageError
from capsule_audit.models.findings import Finding, Severity
from capsule_audit.store import finding_reads
from capsule_audit.store.narrowed import Narrowed
from capsule_audit.store.result import AuditResult
from tests.conftest import SEEDS
from tests.reporters.sample_report import sample_report

NOW = datetime(2026, 6, 1, tzinfo=UTC)
CONFIG = AuditConfig(now=NOW, jobs=1)


@pytest.fixture(scope="module")
def result() -> Iterator[AuditResult]:
    with audit_stream([str(SEEDS)], CONFIG) as audited:
        yield audited


def _marked(result: AuditResult, path: Path) -> Narrowed:
    return Narrowed(result, accepted=read_baseline(path), baseline_path=str(path))


def test_round_trip_marks_everything_baseline_and_passes(result: AuditResult, tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(result.findings, path, result.store)
    marked = _marked(result, path)
    assert {f.baseline for f in marked.findings} == {"baseline"}
    assert marked.baseline is not None and marked.baseline.new == 0 and marked.baseline.stale == ()
    assert exit_code_of(result.findings, "error") == 1  # without the baseline the errors fail the run
    assert exit_code_of(marked.findings, "error") == 0


def test_a_new_finding_alone_is_new_and_fails(result: AuditResult, tmp_path: Path) -> None:
    findings = list(result.findings)
    added = next(f for f in findings if f.severity is Severity.ERROR)
    path = tmp_path / "baseline.json"
    write_baseline((f for f in findings if f.fingerprint != added.fingerprint), path, result.store)
    marked = _marked(result, path)
    assert [f.fingerprint for f in marked.findings if f.baseline == "new"] == [added.fingerprint]
    assert [f.fingerprint for f in iter_failing(marked.findings, "error")] == [added.fingerprint]
    assert exit_code_of(marked.findings, "error") == 1
    assert exit_code_of(marked.findings, "error", exit_zero=True) == 0
    assert exit_code_of(marked.findings, "never") == 0


def test_fixed_findings_become_stale_entries(result: AuditResult, tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(result.findings, path, result.store)
    fewer = tmp_path / "fewer"
    fewer.mkdir()
    for seed in sorted(SEEDS.iterdir())[1:]:  # the first capsule is gone: its own findings are fixed
        shutil.copyfile(seed, fewer / seed.name)
    with audit_stream([str(fewer)], CONFIG) as later:
        marked = _marked(later, path)
        assert marked.baseline is not None
        remaining = {f.fingerprint for f in later.findings}
    before = {f.fingerprint: f for f in result.findings}
    stale = marked.baseline.stale
    assert stale and [e.fingerprint for e in stale] == sorted(set(before) - remaining)
    assert all(e.rule == before[e.fingerprint].rule for e in stale)


def test_baseline_file_is_stable_and_independent_of_finding_order(
    result: AuditResult, tmp_path: Path
) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_baseline(result.findings, a, result.store)
    write_baseline(reversed(list(result.findings)), b, result.store)
    assert a.read_bytes() == b.read_bytes()
    assert set(read_baseline(a)) == {f.fingerprint for f in result.findings}


def test_the_file_lists_one_entry_per_fingerprint_sorted_the_last_of_a_repeat_kept(
    result: AuditResult, tmp_path: Path
) -> None:
    findings = list(result.findings)
    repeat = findings[0].model_copy(update={"message": "said again"})
    for given in (findings, [], [*findings, repeat]):
        path = tmp_path / "b.json"
        write_baseline(given, path, result.store)
        last = {f.fingerprint: baseline_entry(f).model_dump(mode="json") for f in given}
        expected = {"capsule_audit_baseline": 1, "findings": [last[fp] for fp in sorted(last)]}
        assert path.read_bytes() == orjson.dumps(expected, option=orjson.OPT_INDENT_2) + b"\n"
    assert read_baseline(path)[repeat.fingerprint].message == "said again"


def test_fail_on_threshold_respects_severity() -> None:
    only_info = [f for f in sample_report().findings if f.severity is Severity.INFO]
    assert exit_code_of(only_info, "error") == 0
    assert exit_code_of(only_info, "warning") == 0
    assert exit_code_of(only_info, "info") == 1


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        json.dumps({"findings": []}),
        json.dumps({"capsule_audit_baseline": 1, "findings": [{"rule": "x"}]}),
    ],
)
def test_a_file_that_is_not_a_baseline_is_a_usage_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(UsageError):
        read_baseline(path)


def test_a_missing_baseline_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        read_baseline(tmp_path / "absent.json")


def test_an_unwritable_baseline_is_a_usage_error(result: AuditResult, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(UsageError):
        write_baseline(result.findings, tmp_path / "file" / "b.json", result.store)


def test_exit_code_of_a_stream_stops_at_the_first_failing_finding() -> None:
    report = sample_report()
    read: list[Finding] = []

    def stream() -> Iterator[Finding]:
        for f in report.findings:
            read.append(f)
            yield f

    assert exit_code_of(stream(), "info") == 1
    assert len(read) == 1  # the store is read only as far as needed
    assert exit_code_of(stream(), "never") == 0
    assert exit_code_of(iter(report.findings), "error", exit_zero=True) == 0


def test_exit_code_of_settled_findings_is_counted_in_the_store(
    result: AuditResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The audit's own findings answer from their counts: no finding is rebuilt to decide.
    severities = {f.severity for f in result.findings}
    assert Severity.ERROR in severities and Severity.INFO in severities
    monkeypatch.setattr(finding_reads, "finding_of", lambda *a: pytest.fail("a finding was rebuilt"))
    assert exit_code_of(result.findings, "error") == 1
    assert exit_code_of(result.findings, "info") == 1
    assert exit_code_of(result.findings, "never") == 0
    assert exit_code_of(result.findings, "error", exit_zero=True) == 0


def test_exit_code_of_settled_findings_without_a_failing_severity_is_zero() -> None:
    config = AuditConfig(now=NOW, jobs=1, select=("CA5",))  # CA5xx: warnings and info here, no error
    with audit_stream([str(SEEDS)], config) as audited:
        found = {f.severity for f in audited.findings}
        assert found and Severity.ERROR not in found
        assert exit_code_of(audited.findings, "error") == 0
        assert exit_code_of(audited.findings, min(found, key=lambda s: s.rank).value) == 1
