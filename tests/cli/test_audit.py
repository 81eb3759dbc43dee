"""`capsule-audit audit`: exit codes, formats, clock, selection, jobs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capsule_audit.api import audit as api_audit
from capsule_audit.cli import app
from capsule_audit.cli import audit_run as audit_module
from capsule_audit.store.result import AuditResult
from tests.conftest import FIXTURES, SEEDS

NOW = "2026-06-01T00:00:00Z"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", *args])
    return result.exit_code, result.stdout


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    code, out = _run(*args, "--format", "json", "--now", NOW)
    assert code in (0, 1), out
    return json.loads(out)  # type: ignore[no-any-return]


def test_seeds_fail_and_the_clean_capsule_passes() -> None:
    assert _run(str(SEEDS), "--now", NOW, "-j", "1")[0] == 1
    assert _run(str(FIXTURES / "clean"), "--now", NOW, "-j", "1")[0] == 0


def test_fail_on_levels() -> None:
    clean = str(FIXTURES / "clean")
    assert _run(clean, "--now", NOW, "-j", "1", "--fail-on", "info")[0] == 1  # it has an info finding
    assert _run(str(SEEDS), "--now", NOW, "-j", "1", "--fail-on", "never")[0] == 0


def test_json_report_with_records_and_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    code, _ = _run(str(SEEDS), "--now", NOW, "-j", "1", "--format", "json", "--output", str(target))
    report = json.loads(target.read_text(encoding="utf-8"))
    assert code == 1
    assert report["summary"]["documents"] == 5 and len(report["records"]) == 5
    assert report["run"]["now"].startswith("2026-06-01")


def test_select_and_ignore_from_flags() -> None:
    selected = _json(str(SEEDS), "-j", "1", "--select", "CA5", "--ignore", "CA504,CA505")
    # CA503 needs the citation errors of unselected rules, so only CA501 and CA502 remain.
    assert {f["rule"] for f in selected["findings"]} == {"CA501", "CA502"}


def test_jobs_one_and_two_give_identical_json() -> None:
    one = _run(str(SEEDS), str(FIXTURES / "rules"), "--now", NOW, "--format", "json", "-j", "1")[1]
    two = _run(str(SEEDS), str(FIXTURES / "rules"), "--now", NOW, "--format", "json", "-j", "2")[1]
    assert one == two and json.loads(one)["summary"]["documents"] > 5


@pytest.mark.parametrize(
    "args",
    [
        ["--now", "last tuesday"],
        ["--select", "CA999"],
        ["--fail-on", "sometimes"],
        ["--format", "pdf"],
        ["--config", "/nonexistent/capsule-audit.toml"],
    ],
)
def test_usage_and_configuration_errors_exit_2(args: list[str]) -> None:
    assert _run(str(FIXTURES / "clean"), "-j", "1", *args)[0] == 2


def test_config_file_is_discovered_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "capsule-audit.toml").write_text('fail-on = "info"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _run(str(FIXTURES / "clean"), "--now", NOW, "-j", "1")[0] == 1


def test_without_online_nothing_is_verified_and_no_socket_is_opened() -> None:
    # The conftest guard fails this test on any socket, loopback included.
    report = _json(str(SEEDS), "-j", "1")
    assert report["verdicts"] == [] and report["run"]["configuration"]["online"] is False
    assert not [f for f in report["findings"] if f["rule"].startswith("CA7")]


def test_cache_only_with_an_empty_cache_opens_no_socket_and_leaves_all_unverifiable(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    args = ["audit", str(SEEDS), "-j", "1", "--now", NOW, "-f", "json", "--cache-only", "--cache-dir", cache]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    kinds = {v["verdict"] for v in report["verdicts"]}
    assert kinds == {"unverifiable"} and "arxiv:2604.01234" in {v["key"] for v in report["verdicts"]}
    ca704 = {f["key"] for f in report["findings"] if f["rule"] == "CA704"}
    assert ca704 == {v["key"] for v in report["verdicts"]}  # once cited or many times: each one
    assert f"online: 0 verified, 0 miscited, 0 fabricated, {len(ca704)} unverifiable" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["https://forgecascade.org/public/capsules/223f9579-7bd4-418a-bf62-f72791e369f5"], "add --online"),
        ([str(SEEDS), "--arxiv-api-url", "http://127.0.0.1:9/a"], "--arxiv-api-url applies to online"),
        ([str(SEEDS), "--refresh"], "--refresh applies to online verification"),
        ([str(SEEDS), "--online", "--refresh", "--cache-only"], "contradict"),
    ],
)
def test_online_usage_errors_exit_2_before_any_socket(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["audit", *args, "-j", "1"])
    assert result.exit_code == 2 and message in result.stderr, result.output


@pytest.mark.parametrize(
    ("args", "claims"),
    [
        (["--format", "text"], False),
        (["--format", "sarif", "--junit-output", "-"], False),
        (["--format", "html"], False),
        (["--format", "json"], True),
        (["--format", "text", "--json-output", "{tmp}/r.json"], True),
    ],
)
def test_claims_are_kept_only_for_formats_that_list_them(
    args: list[str], claims: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}
    real = audit_module.audit_stream

    def spy(*a: object, **kw: object) -> object:
        seen.update(kw)
        return real(*a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(audit_module, "audit_stream", spy)
    code, _ = _run(str(SEEDS), "--now", NOW, "-j", "1", *(a.format(tmp=tmp_path) for a in args))
    assert code == 1 and seen["keep_claims"] is claims


def test_one_or_two_jobs_change_nothing() -> None:
    assert _json(str(SEEDS), "-j", "2") == _json(str(SEEDS), "-j", "1")


class _Terminal(io.StringIO):
    """A stand-in for stdout that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_text_summary_is_coloured_on_a_terminal_unless_no_color(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from capsule_audit.api import audit_stream
    from capsule_audit.config import AuditConfig

    config = AuditConfig(now="2026-11-23T00:00:00Z", jobs=1)  # type: ignore[arg-type]
    with audit_stream([str(SEEDS)], config) as result:
        for no_color, destination, coloured in ((None, "-", True), ("1", "-", False), (None, "r.txt", False)):
            terminal = _Terminal()
            monkeypatch.setattr(audit_module.sys, "stdout", terminal)
            if no_color is None:
                monkeypatch.delenv("NO_COLOR", raising=False)
            else:
                monkeypatch.setenv("NO_COLOR", no_color)
            target = destination if destination == "-" else str(tmp_path / destination)
            audit_module._write_outputs(result, [("text", target)])
            text = terminal.getvalue() if destination == "-" else (tmp_path / destination).read_text()
            assert "CA" in text and ("\x1b[" in text) is coloured, (no_color, destination)


def test_an_unknown_format_is_a_usage_error_before_the_audit(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = CliRunner().invoke(app, ["audit", str(SEEDS), "--json-output", str(out), "-f", "xml"])
    assert result.exit_code == 2 and "unknown format 'xml'" in result.stderr
    assert not out.exists()


def test_an_empty_folder_passes_with_a_warning(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["audit", str(tmp_path)])
    assert result.exit_code == 0
    assert "no documents found" in result.stderr


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_streamed_formats_write_what_the_report_renders(fmt: str, tmp_path: Path) -> None:
    from capsule_audit.config import AuditConfig
    from capsule_audit.reporters import render

    target = tmp_path / f"report.{fmt}"
    _run(str(SEEDS), "--now", NOW, "-j", "1", "--format", fmt, "--output", str(target))
    config = AuditConfig(now=NOW, jobs=1)  # type: ignore[arg-type]
    report = api_audit([str(SEEDS)], config, keep_records=fmt == "json", keep_claims=fmt == "json")
    assert target.read_text(encoding="utf-8") == render(report, fmt)


def test_several_outputs_are_streamed_and_equal_one_run_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    formats = ("json", "sarif", "junit", "github", "markdown")
    alone = {}
    for fmt in formats:
        code, out = _run(str(SEEDS), "--now", NOW, "-j", "1", "--format", fmt)
        assert code == 1
        alone[fmt] = out

    def whole(*args: object) -> object:
        raise AssertionError("the report was materialized")

    monkeypatch.setattr(AuditResult, "to_report", whole)
    outputs = [a for fmt in formats for a in (f"--{fmt}-output", str(tmp_path / f"r.{fmt}"))]
    code, text = _run(str(SEEDS), "--now", NOW, "-j", "1", "--format", "text", *outputs)
    assert code == 1 and "CA401" in text
    for fmt in formats:
        assert (tmp_path / f"r.{fmt}").read_text(encoding="utf-8") == alone[fmt], fmt


def test_baseline_and_focus_runs_stream_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def whole(*args: object) -> object:
        raise AssertionError("the report was materialized")

    monkeypatch.setattr(AuditResult, "to_report", whole)
    baseline = tmp_path / "baseline.json"
    code, _ = _run(str(SEEDS), "--now", NOW, "-j", "1", "--write-baseline", str(baseline))
    assert code == 1 and baseline.exists()
    focus = str(SEEDS / "003_ade27eb4c528e0ce.txt")
    args = ("--now", NOW, "-j", "1", "--baseline", str(baseline), "--focus", focus, "--format", "json")
    code, out = _run(str(SEEDS), *args, "--sarif-output", str(tmp_path / "r.sarif"))
    report = json.loads(out)
    assert code == 0  # every finding accepted
    assert report["baseline"]["new"] == 0 and report["baseline"]["baseline"] == len(report["findings"]) > 0
    assert all(f["baseline"] == "baseline" for f in report["findings"])
    assert report["run"]["focus"] == [focus]
