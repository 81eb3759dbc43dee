"""End to end on the seeds: every output format read back, the baseline round trip, --focus on a
new batch, the pre-commit hook (offline, via `pre-commit try-repo`) and the GitHub Action's
audit step run locally."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from capsule_audit.cli import app
from capsule_audit.reporters.json_report import report_json_schema
from tests.conftest import ROOT, SEEDS, require_reference
from tests.reporters.chromium import Browser, chromium_path
from tests.reporters.test_github import parse as parse_github
from tests.reporters.test_html import data_blocks

VENV_BIN = Path(sys.executable).parent
NEW_ID = "https://forgecascade.org/public/capsules/99999999-1111-4222-8333-444455556666"
# A new capsule crediting arXiv:2604.04501 (a seed capsule's SAAT paper) to another method.
NEW_CAPSULE = {
    "@context": "https://schema.org",
    "@type": "CreativeWork",
    "@id": NEW_ID,
    "name": "As of April 20, 2026, a new alignment method was published",
    "dateCreated": "2026-04-20T10:00:00Z",
    "text": "## Key Findings\n- As of April 20, 2026, one new training technique was published:\n"
    "- 1. **Gradient Echo Tuning (GET)**\n- Researchers at Oxford introduced GET, a method that "
    "replays gradients from earlier steps to stabilise preference training.\n"
    "- Source: [arXiv:2604.04501](https://arxiv.org/abs/2604.04501)\n\n"
    "## Sources\n- https://arxiv.org/abs/2604.04501",
}
runner = CliRunner()


def audit(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["audit", "-j", "1", "--now", "2026-05-01", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, result.stdout


def new_batch(tmp_path: Path) -> Path:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "new.json").write_text(json.dumps(NEW_CAPSULE), encoding="utf-8")
    return batch


def test_every_format_from_the_seeds_reads_back(tmp_path: Path) -> None:
    out = {fmt: tmp_path / f"report.{fmt}" for fmt in ("sarif", "junit", "html", "markdown", "github")}
    _, stdout = audit(
        str(SEEDS),
        "--format",
        "json",
        *(arg for fmt, p in out.items() for arg in (f"--{fmt}-output", str(p))),
    )
    report = json.loads(stdout)
    jsonschema.validate(report, report_json_schema(), cls=jsonschema.Draft202012Validator)
    fingerprints = {f["fingerprint"] for f in report["findings"]}
    assert fingerprints, "the seeds hold known conflicts"

    sarif = json.loads(out["sarif"].read_text())
    assert {r["partialFingerprints"]["capsuleAudit/v1"] for r in sarif["runs"][0]["results"]} == fingerprints

    suite = ET.parse(out["junit"]).getroot()
    names = {case.get("name") for case in suite.iter("testcase")}
    assert {c["id"] for c in report["capsules"]} <= names
    faults = {f["fingerprint"] for f in report["findings"] if f["severity"] != "info"}
    assert len(list(suite.iter("failure"))) >= len(faults) and faults < fingerprints  # info: notes

    annotations = parse_github(out["github"].read_text())
    assert 0 < len(annotations) <= 31  # 10 per type and one count
    index = data_blocks(out["html"].read_text())["index"]
    assert set(index["findings"]["anchor"]) == {"finding-" + fp[:12] for fp in fingerprints}
    assert str(len(fingerprints)) in out["markdown"].read_text()


def test_sarif_from_the_seeds_validates(tmp_path: Path) -> None:
    schema = json.loads(require_reference("sarif-schema-2.1.0.json").read_text())
    _, stdout = audit(str(SEEDS), "--format", "sarif")
    log = json.loads(stdout)
    jsonschema.validate(log, schema)
    assert log["runs"][0]["results"]


@pytest.mark.browser
def test_html_from_the_seeds_loads_in_chromium(tmp_path: Path) -> None:
    binary = chromium_path()
    if binary is None:
        pytest.skip("headless Chromium not installed (Debian package 'chromium'; .ci/run installs it)")
    page = tmp_path / "seeds.html"
    audit(str(SEEDS), "--format", "html", "--output", str(page))
    browser = Browser(binary, tmp_path / "profile")
    try:
        browser.open_page()
        browser.navigate(page.as_uri() + "#severity=error")
        shown = browser.evaluate(
            "[...document.querySelectorAll('article.finding:not([hidden])')].map(e => e.dataset.severity)"
        )
        assert shown and set(shown) == {"error"}
        assert browser.console_errors() == []
    finally:
        browser.close()


def test_baseline_round_trip_then_a_new_conflict_fails_naming_only_new_findings(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    audit(str(SEEDS), "--format", "json", "--write-baseline", str(baseline))
    code, stdout = audit(str(SEEDS), "--format", "json", "--baseline", str(baseline))
    report = json.loads(stdout)
    assert code == 0
    assert {f["baseline"] for f in report["findings"]} == {"baseline"}

    code, stdout = audit(
        str(SEEDS), str(new_batch(tmp_path)), "--format", "json", "--baseline", str(baseline)
    )
    report = json.loads(stdout)
    assert code == 1
    new = [f for f in report["findings"] if f["baseline"] == "new"]
    assert new and all(NEW_ID in f["capsules"] for f in new)
    assert any(f["key"] == "arxiv:2604.04501" and f["severity"] == "error" for f in new)
    assert report["baseline"]["new"] == len(new)
    assert (
        runner.invoke(
            app,
            [
                "audit",
                "-j",
                "1",
                str(SEEDS),
                str(tmp_path / "batch"),
                "--baseline",
                str(baseline),
                "--exit-zero",
            ],
        ).exit_code
        == 0
    )


def test_focus_on_a_new_batch_reports_only_findings_involving_it(tmp_path: Path) -> None:
    batch = new_batch(tmp_path)
    _, stdout = audit(str(SEEDS), str(batch), "--format", "json", "--focus", str(batch))
    report = json.loads(stdout)
    assert report["findings"]
    assert all(NEW_ID in f["capsules"] for f in report["findings"])
    assert any(len(f["capsules"]) > 1 for f in report["findings"]), "conflicts with the corpus are found"


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
    )


def test_pre_commit_hook_runs_offline_via_try_repo(tmp_path: Path) -> None:
    pre_commit = VENV_BIN / "pre-commit"
    if not pre_commit.exists() or shutil.which("git") is None:
        pytest.skip("pre-commit (the test extra) and git are needed")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", hooks)
    _git(hooks, "init", "-q")
    _git(hooks, "add", ".")
    _git(hooks, "commit", "-q", "-m", "hooks")
    work = tmp_path / "work"
    (work / "capsules").mkdir(parents=True)
    (work / "capsules" / "new.json").write_text(json.dumps(NEW_CAPSULE), encoding="utf-8")
    (work / "notes.toml").write_text("{not a capsule", encoding="utf-8")  # not matched by the hook
    _git(work, "init", "-q")
    _git(work, "add", ".")
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    # The system-language hook: the offline twin of `capsule-audit` (same entry and file patterns).
    command = [str(pre_commit), "try-repo", str(hooks), "capsule-audit-system", "--all-files"]
    clean = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    (work / "capsules" / "broken.jsonld").write_text('{"@type": "CreativeWork", "name": }', encoding="utf-8")
    (work / "capsules" / "cut.txt.gz").write_bytes(b"\x1f\x8b\x08\x00cut off")  # gzip, cut: CA001
    _git(work, "add", ".")
    broken = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert broken.returncode == 1
    assert "CA001" in broken.stdout + broken.stderr
    assert "cut.txt.gz" in broken.stdout + broken.stderr  # gzipped digests reach the hook too


def test_the_two_hooks_differ_only_in_how_the_tool_is_installed() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    python, system = hooks["capsule-audit"], hooks["capsule-audit-system"]
    assert python["language"] == "python" and system["language"] == "system"
    for key in ("entry", "files", "require_serial"):
        assert python[key] == system[key]
    assert "types" not in python and "types" not in system  # `types: [text]` kept out gzip files


def test_the_hook_selects_every_form_the_tool_reads() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    files = hooks["capsule-audit"]["files"]
    for name in ("a.json", "b.jsonld", "c.jsonl", "d.ndjson", "fixtures/seeds/000_ea5c0029181cb232.txt"):
        assert re.search(files, name) and re.search(files, name + ".gz")
    assert re.search(files, "digest.md")
    for name in ("pyproject.toml", "image.png", "tool.py", "a.json.bak"):
        assert not re.search(files, name)


def _action() -> dict[str, Any]:
    action: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text())
    return action


def test_action_is_composite_and_never_interpolates_inputs_into_scripts() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], f"step {step.get('name')} interpolates into its script"
            assert step["shell"] == "bash"
    uses = [step.get("uses", "") for step in action["runs"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif") for u in uses)


def test_action_audit_step_writes_the_summary_and_the_sarif_file(tmp_path: Path) -> None:
    step = next(s for s in _action()["runs"]["steps"] if s.get("id") == "audit")
    summary, outputs, sarif = tmp_path / "summary.md", tmp_path / "outputs", tmp_path / "out.sarif"
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
        "CA_PATHS": f"{SEEDS} {new_batch(tmp_path)}",
        "CA_FAIL_ON": "error",
        "CA_BASELINE": "",
        "CA_FOCUS": str(tmp_path / "batch"),
        "CA_SARIF": str(sarif),
        "CA_ARGS": "--now 2026-05-01 -j 1",
    }
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert outputs.read_text().strip() == "exit-code=1"  # the new conflict fails; a later step exits
    assert "capsule-audit" in summary.read_text()
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert results and all(NEW_ID in r["properties"]["capsules"] for r in results)
    assert all(line.startswith("::") for line in done.stdout.splitlines())
