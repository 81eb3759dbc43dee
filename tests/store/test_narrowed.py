"""--baseline and --focus over an audit in the store (`Narrowed`, the one path that applies
them): which findings are kept and how they are marked, recounted and joined."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from capsule_audit.api import audit_stream
from capsule_audit.config import AuditConfig
from capsule_audit.focus import is_under
from capsule_audit.models.findings import Finding
from capsule_audit.models.report import BaselineEntry
from capsule_audit.reporters import render
from capsule_audit.reporters.streamed import STREAMED_FORMATS, write_streamed
from capsule_audit.store.narrowed import Narrowed
from capsule_audit.store.result import AuditResult, report_of
from tests.conftest import SEEDS

NOW = datetime(2026, 6, 1, tzinfo=UTC)
GONE = BaselineEntry(fingerprint="0" * 32, rule="CA999", name="gone", message="fixed since")
NEW_SEED = "003_"
"""The seed moved into the new batch: it conflicts with two corpus capsules (CA401, CA402)."""


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds as a corpus and a new batch, each with a document that is not JSON."""
    root = tmp_path_factory.mktemp("dump")
    (root / "batch" / "new").mkdir(parents=True)
    (root / "corpus").mkdir()
    for seed in sorted(SEEDS.iterdir()):
        shutil.copyfile(
            seed, root / ("batch/new" if seed.name.startswith(NEW_SEED) else "corpus") / seed.name
        )
    (root / "batch" / "new" / "broken.json").write_text("{not json", encoding="utf-8")
    (root / "corpus" / "broken.json").write_text("{not json either", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def result(dump: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuditResult]:
    config = AuditConfig(now=NOW, jobs=1)
    store = tmp_path_factory.mktemp("store")
    with audit_stream([str(dump)], config, keep_records=True, directory=str(store)) as audited:
        yield audited


def _batch(dump: Path) -> tuple[str, ...]:
    return (str(dump / "batch" / "new"),)


def _new_capsules(result: AuditResult, focus: tuple[str, ...]) -> set[str]:
    return {capsule for capsule, path in result.capsule_table.paths() if is_under(path, focus)}


def test_focus_keeps_the_findings_involving_the_batch_and_its_rejected_documents(
    result: AuditResult, dump: Path
) -> None:
    focus = _batch(dump)
    new = _new_capsules(result, focus)
    whole = list(result.findings)
    kept = list(Narrowed(result, focus=focus).findings)

    def involves(f: Finding) -> bool:
        return bool(new & set(f.capsules)) or is_under(f.location.file or "-", focus)

    assert kept == [f for f in whole if involves(f)]  # in report order
    assert 0 < len(kept) < len(whole)
    files = {f.location.file for f in kept if not f.capsules}
    assert files == {str(dump / "batch" / "new" / "broken.json")}  # not the corpus's broken file
    # A conflict between a new capsule and corpus capsules is kept: that is the point.
    assert any(f.rule == "CA401" and new & set(f.capsules) and set(f.capsules) - new for f in kept)


def test_focus_recounts_the_summary_and_joins_capsules_and_clusters_again(
    result: AuditResult, dump: Path
) -> None:
    focus = _batch(dump)
    new = _new_capsules(result, focus)
    report = report_of(Narrowed(result, focus=focus))
    assert report.summary.findings == {
        sev: sum(f.severity.value == sev for f in report.findings) for sev in report.summary.findings
    }
    assert report.summary.by_rule == dict(sorted(Counter(f.rule for f in report.findings).items()))
    assert report.summary.documents == result.summary.documents  # the corpus was audited
    assert report.run.focus == focus
    kept = {f.fingerprint: f for f in report.findings}
    assert [e.id for e in report.capsules] == [e.id for e in result.capsules]  # every capsule listed
    for entry in report.capsules:
        assert set(entry.findings) <= set(kept)
        worst = max((kept[fp].severity for fp in entry.findings), key=lambda s: s.rank, default=None)
        assert entry.status == (worst.value if worst is not None else "clean")
    assert any(entry.status == "clean" for entry in report.capsules)  # corpus-only findings dropped
    clusters = [c for c in result.clusters if any(m.capsule in new for m in c.members)]
    assert list(report.clusters) == clusters and clusters


def test_a_focus_holding_no_document_reports_nothing(result: AuditResult, dump: Path) -> None:
    report = report_of(Narrowed(result, focus=(str(dump / "elsewhere"),)))
    assert report.findings == () and report.clusters == ()
    assert report.capsules and all(entry.status == "clean" for entry in report.capsules)
    assert sum(report.summary.findings.values()) == 0 and report.summary.by_rule == {}


def test_no_focus_and_no_baseline_change_nothing(result: AuditResult) -> None:
    assert report_of(Narrowed(result)) == report_of(result)


@pytest.mark.parametrize("focused", [False, True], ids=["whole", "focus"])
def test_the_baseline_marks_each_kept_finding_and_lists_stale_entries_of_the_whole_audit(
    result: AuditResult, dump: Path, focused: bool
) -> None:
    whole = list(result.findings)
    accepted = {
        f.fingerprint: BaselineEntry(fingerprint=f.fingerprint, rule=f.rule, name=f.name) for f in whole[::2]
    }
    view = Narrowed(
        result,
        accepted={**accepted, GONE.fingerprint: GONE},
        baseline_path="b.json",
        focus=_batch(dump) if focused else (),
    )
    kept = list(view.findings)
    assert [f.baseline for f in kept] == ["baseline" if f.fingerprint in accepted else "new" for f in kept]
    assert view.baseline is not None and view.baseline.path == "b.json"
    assert view.baseline.new == sum(f.baseline == "new" for f in kept) > 0
    assert view.baseline.baseline == sum(f.baseline == "baseline" for f in kept) > 0
    # Accepted findings outside the focus still occur: only the fixed one is stale.
    assert view.baseline.stale == (GONE,)
    assert [f.model_copy(update={"baseline": None}) for f in kept] == [
        f for f in whole if not focused or f.fingerprint in {k.fingerprint for k in kept}
    ]


@pytest.mark.parametrize("focused", [False, True], ids=["whole", "focus"])
@pytest.mark.parametrize("accept", [False, True], ids=["no-baseline", "baseline"])
def test_every_format_writes_the_view_as_its_report_renders(
    result: AuditResult, dump: Path, tmp_path: Path, focused: bool, accept: bool
) -> None:
    accepted = {
        f.fingerprint: BaselineEntry(fingerprint=f.fingerprint, rule=f.rule, name=f.name)
        for f in list(result.findings)[1::2]
    }
    view = Narrowed(
        result,
        accepted=accepted if accept else None,
        baseline_path="b.json",
        focus=_batch(dump) if focused else (),
    )
    report = report_of(view)
    for fmt in sorted(STREAMED_FORMATS):
        out = tmp_path / f"out.{fmt}"
        write_streamed(view, fmt, str(out))
        assert out.read_text(encoding="utf-8") == render(report, fmt), fmt
