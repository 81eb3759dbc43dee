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


# normalize, claims and index walk folders as audit does: the same options, the same files.


def _read(command: str, *args: str, store: Path | None = None) -> tuple[int, set[str], set[str]]:
    """(exit code, names of the files that became records, names reported on stderr)."""
    extra = ["--store", str(store), "-j", "1"] if command == "index" else []
    result = CliRunner().invoke(app, [command, *args, *extra])
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    read: set[str] = set()
    if command == "normalize":
        read = {Path(json.loads(line)["source"]["path"]).name for line in result.stdout.splitlines()}
    reported = {Path(line.split(":", 1)[0]).name for line in result.stderr.splitlines()}
    return result.exit_code, read, reported


@pytest.mark.parametrize("command", ["normalize", "claims", "index"])
def test_a_link_out_of_the_folder_is_reported_not_read_by_every_command(
    dump: Path, tmp_path: Path, command: str
) -> None:
    code, read, reported = _read(command, str(dump), store=tmp_path / "corpus.duckdb")
    assert reported == {"notes.bak", "passwd.txt"}
    assert command == "index" or code == 1
    assert "passwd.txt" not in read and (command != "normalize" or len(read) == 5)


@pytest.mark.parametrize("command", ["normalize", "claims", "index"])
def test_exclude_and_follow_links_flags_of_every_command(dump: Path, tmp_path: Path, command: str) -> None:
    code, read, reported = _read(
        command, str(dump), "--follow-links", "--exclude", "*.bak", store=tmp_path / "corpus.duckdb"
    )
    assert code == 0 and reported == set()
    assert command != "normalize" or read == {p.name for p in SEEDS.iterdir()} | {"passwd.txt"}


@pytest.mark.parametrize("command", ["normalize", "claims", "index"])
def test_every_command_takes_exclude_and_follow_links_from_the_configuration(
    dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    (tmp_path / "capsule-audit.toml").write_text(
        'follow-links = true\nexclude = ["*.bak"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    code, read, reported = _read(command, str(dump), store=tmp_path / "corpus.duckdb")
    assert code == 0 and reported == set()
    assert command != "normalize" or "passwd.txt" in read
    # The flag adds to the file's globs: both are left out.
    code, read, reported = _read(command, str(dump), "--exclude", "passwd.txt", store=tmp_path / "c2.duckdb")
    assert code == 0 and reported == set()
    assert command != "normalize" or read == {p.name for p in SEEDS.iterdir()}


def test_normalize_reads_the_folder_as_audit_does(dump: Path, tmp_path: Path) -> None:
    """One walk: the records `normalize` prints are the capsules `audit` reports, option for option."""
    for options in ([], ["--follow-links"], ["--exclude", "*.txt"]):
        _, report = _report(str(dump), *options)
        audited = {Path(c["source"]["path"]).name for c in report["capsules"]}
        _, read, _ = _read("normalize", str(dump), *options)
        assert read == audited, options


@pytest.mark.parametrize("command", ["normalize", "claims"])
def test_a_bad_configuration_file_exits_2(
    dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    (tmp_path / "capsule-audit.toml").write_text("exclud = []\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, [command, str(dump)])
    assert result.exit_code == 2 and "unknown configuration key" in result.stderr
