"""--focus that matches no input is a usage error (exit 2), not a green run with no findings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capsule_audit.cli import app
from tests.conftest import SEEDS

NOW = "2026-06-01T00:00:00Z"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(SEEDS, root / "accepted")
    (root / "empty-batch").mkdir()
    (root / "rejected-batch").mkdir()
    (root / "rejected-batch" / "broken.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    return root


def _audit(*args: str, fail_on: str = "never") -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", *args, "--now", NOW, "-j", "1", "--fail-on", fail_on])
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("focus", "says"),
    [
        ("batch-42/", "no such file"),  # the README's example, typed as it stands
        ("{corpus}/../elsewhere", "not inside any audited input"),  # exists, but was not audited
        ("{corpus}/empty-batch", "matched no document"),  # audited, but holds nothing
    ],
)
def test_a_focus_matching_no_input_exits_2_naming_it(
    corpus: Path, focus: str, says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(corpus.parent)
    root = focus.format(corpus=corpus)
    code, stderr = _audit(str(corpus), "--focus", root)
    assert code == 2
    assert says in stderr and root in stderr


def test_a_focus_holding_only_a_rejected_document_is_a_match(corpus: Path) -> None:
    code, stderr = _audit(str(corpus), "--focus", str(corpus / "rejected-batch"), fail_on="error")
    assert code == 1, stderr  # its CA001 is reported and fails the run


def test_a_focus_on_an_audited_folder_runs(corpus: Path) -> None:
    assert _audit(str(corpus), "--focus", str(corpus / "accepted"))[0] == 0


def test_an_empty_output_path_from_an_unset_variable_is_skipped_with_a_warning(tmp_path: Path) -> None:
    """The README's CI line outside GitHub Actions: `--markdown-output "$GITHUB_STEP_SUMMARY"`."""
    sarif = tmp_path / "audit.sarif"
    args = [str(SEEDS), "--markdown-output", "", "--sarif-output", str(sarif), "-o", str(tmp_path / "r.txt")]
    result = CliRunner().invoke(app, ["audit", *args, "--now", NOW, "-j", "1"])
    assert result.exit_code == 1  # the seeds' findings, not a tool error
    assert "--markdown-output is empty" in result.stderr
    assert sarif.is_file() and sorted(p.name for p in tmp_path.iterdir()) == ["audit.sarif", "r.txt"]


def test_an_empty_main_output_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["audit", str(SEEDS), "-o", "", "--now", NOW, "-j", "1"])
    assert result.exit_code == 2 and "--output is empty" in result.stderr
