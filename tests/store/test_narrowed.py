"""--baseline and --focus over an audit on disk: what the post-processed Report would say."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from capsule_audit.api import audit_stream
from capsule_audit.baseline import baseline_entries, mark_baseline, render_baseline, stream_baseline
from capsule_audit.config import AuditConfig
from capsule_audit.focus import apply_focus
from capsule_audit.models.report import BaselineEntry
from capsule_audit.reporters import render
from capsule_audit.reporters.streamed import STREAMED_FORMATS, write_streamed
from capsule_audit.store import spool
from capsule_audit.store.narrowed import Narrowed
from capsule_audit.store.spool import Workspace
from tests.conftest import SEEDS

NOW = datetime(2026, 6, 1, tzinfo=UTC)
GONE = BaselineEntry(fingerprint="0" * 32, rule="CA999", name="gone", message="fixed since")


@pytest.mark.parametrize("focus", [(), (str(SEEDS / "003_ade27eb4c528e0ce.txt"),)], ids=["whole", "focus"])
@pytest.mark.parametrize("accept", [False, True], ids=["no-baseline", "baseline"])
@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "disk"])
def test_the_narrowed_result_reports_what_the_post_processed_report_does(
    focus: tuple[str, ...], accept: bool, on_disk: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if on_disk:  # every spool and join on disk after a few items
        for name, value in (("MEMORY_ITEMS", 2), ("RUN_ITEMS", 3), ("MAX_RUNS", 2), ("BATCH", 2)):
            monkeypatch.setattr(spool, name, value)
    config = AuditConfig(now=NOW, jobs=1)
    with audit_stream([str(SEEDS)], config, directory=str(tmp_path), keep_records=True) as result:
        report = result.to_report()
        # Every other finding accepted, and one entry no finding has any more (stale).
        accepted = {e.fingerprint: e for e in [*baseline_entries(report.findings[::2]), GONE]}
        expected = mark_baseline(report, accepted, "b.json") if accept else report
        expected = apply_focus(expected, focus)
        view = Narrowed(result, accepted=accepted if accept else None, baseline_path="b.json", focus=focus)

        assert view.to_report() == expected
        assert len(expected.findings) < len(report.findings) or not focus  # the focus does narrow
        assert not accept or (expected.baseline is not None and expected.baseline.stale == (GONE,))
        for fmt in sorted(STREAMED_FORMATS):
            out = tmp_path / f"out.{fmt}"
            write_streamed(view, fmt, str(out))
            assert out.read_text(encoding="utf-8") == render(expected, fmt), fmt


def test_the_baseline_written_from_a_stream_is_the_one_written_from_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = AuditConfig(now=NOW, jobs=1)
    report = audit_stream([str(SEEDS)], config).to_report()
    monkeypatch.setattr(spool, "RUN_ITEMS", 2)  # sorted by fingerprint across runs on disk
    for findings in (report.findings, (), (*report.findings, report.findings[0])):  # a repeat kept once
        with Workspace(str(tmp_path)) as workspace:
            stream_baseline(findings, tmp_path / "b.json", workspace)
        expected = render_baseline(report.model_copy(update={"findings": tuple(findings)}))
        assert (tmp_path / "b.json").read_text(encoding="utf-8") == expected
