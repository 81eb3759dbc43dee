"""`audit FOLDER`: every file counted, --exclude (flag and configuration), links out of the folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capsule_audit.cli import app
from tests.conftest import SEEDS

NOW = "2026-06-01T00:00:00Z"


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    root = tmp_path / "dump"
    shutil.copytree(SEEDS, root)
    (root / "notes.bak").write_bytes(b"\x89PNG\r\n\x1a\n\x00binary")
    secret = tmp_path / "secret.txt"
    secret.write_text("Sources (3)\nNothing to see.\n", encoding="utf-8")
    (root / "passwd.txt").symlink_to(secret)
    return root


def _report(*args: str, cwd: Path | None = None) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(app, ["audit", *args, "--now", NOW, "-j", "1", "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def _ca001(report: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {
        Path(f["location"]["file"]).name: f["message"] for f in report["findings"] if f["rule"] == "CA001"
    }


def test_every_file_is_counted_and_a_link_out_is_a_finding_with_its_path(dump: Path) -> None:
    _, report = _report(str(dump))
    assert report["summary"]["documents"] == 7  # 5 seeds, the .bak, the link
    assert report["summary"]["rejected"] == 2
    found = _ca001(report)
    assert set(found) == {"notes.bak", "passwd.txt"} and "outside the audited folders" in found["passwd.txt"]
    assert all("passwd" not in c["source"]["path"] for c in report["capsules"])


def test_follow_links_reads_the_link(dump: Path) -> None:
    _, report = _report(str(dump), "--follow-links", "--exclude", "*.bak")
    assert report["summary"]["documents"] == 6 and _ca001(report) == {}
    assert any(c["source"]["path"].endswith("passwd.txt") for c in report["capsules"])


def test_exclude_from_the_configuration_and_the_flag_add_up(
    dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "capsule-audit.toml").write_text('exclude = ["*.bak"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, report = _report(str(dump), "--exclude", "passwd.txt")
    assert report["summary"]["documents"] == 5 and _ca001(report) == {}


def test_follow_links_from_the_configuration(
    dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "capsule-audit.toml").write_text('follow-links = true\nexclude = "*.bak"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, report = _report(str(dump))
    assert _ca001(report) == {} and any(
        c["source"]["path"].endswith("passwd.txt") for c in report["capsules"]
    )
