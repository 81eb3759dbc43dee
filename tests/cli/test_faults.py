"""Environment faults end a run with one plain line and exit 2; a broken stdout pipe ends it quietly."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from capsule_audit import cli
from capsule_audit.cli import audit_run as audit_module
from capsule_audit.cli.faults import BROKEN_PIPE_EXIT
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-c", "from capsule_audit.cli import main; main()"]


def _plain_error(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "internal error" not in lines[0] and "Traceback" not in stderr and "OSError" not in lines[0]
    return lines[0]


pytestmark = pytest.mark.usefixtures("signals_restored")  # `cli.main` installs its handlers


@pytest.fixture(scope="module")
def big_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dump") / "dump.jsonl"
    with path.open("wb") as out:  # far more output than a pipe buffer holds
        subprocess.run([sys.executable, "-m", "benchmarks.synth", "1500"], cwd=ROOT, stdout=out, check=True)
    return path


@pytest.mark.parametrize("args", [["audit", "--format", "json", "-j", "1"], ["normalize"], ["claims"]])
def test_a_closed_stdout_pipe_ends_quietly_with_its_own_exit_code(big_dump: Path, args: list[str]) -> None:
    proc = subprocess.Popen(
        [*COMMAND, *args, str(big_dump)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # `| head -c 10`
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == BROKEN_PIPE_EXIT
    assert stderr == ""


def test_a_closed_stdin_read_as_dash_is_a_plain_error() -> None:
    proc = subprocess.run(
        [*COMMAND, "audit", "-", "-j", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.close(0),  # `<&-`
        timeout=60,
    )
    assert proc.returncode == 2
    assert "standard input is closed" in _plain_error(proc.stderr)


def test_a_full_disk_under_stdout_is_a_plain_error() -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [*COMMAND, "audit", str(SEEDS), "-j", "1"],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 2
    line = _plain_error(proc.stderr)
    assert "standard output" in line and os.strerror(errno.ENOSPC) in line


def test_an_os_error_anywhere_in_the_run_is_a_sentence_not_an_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def full_disk(*_: Any, **__: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(audit_module, "audit_stream", full_disk)
    monkeypatch.setattr(sys, "argv", ["capsule-audit", "audit", str(SEEDS), "-j", "1"])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 2
    line = _plain_error(capsys.readouterr().err)
    assert os.strerror(errno.ENOSPC) in line and "TMPDIR" in line


def test_a_closed_stdout_is_a_plain_error() -> None:
    proc = subprocess.run(
        [*COMMAND, "audit", str(SEEDS), "-j", "1"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.close(1),  # `>&-`
        timeout=60,
    )
    assert proc.returncode == 2
    assert "standard output is closed" in _plain_error(proc.stderr)


def test_an_output_path_through_a_file_is_a_plain_error(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("", encoding="utf-8")
    target = tmp_path / "afile" / "report.json"
    proc = subprocess.run(
        [*COMMAND, "audit", str(SEEDS), "-j", "1", "-o", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    line = _plain_error(proc.stderr)
    assert str(target) in line and os.strerror(errno.ENOTDIR) in line


@pytest.mark.parametrize("limit", ["1MB", "plenty"])
def test_a_store_without_enough_memory_is_a_plain_error_naming_the_setting(
    limit: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # 1MB: DuckDB runs out while the audit's store is built; "plenty": not a size at all.
    monkeypatch.setenv("CAPSULE_AUDIT_STORE_MEMORY", limit)
    monkeypatch.setattr(sys, "argv", ["capsule-audit", "audit", str(SEEDS), "-j", "1"])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 2
    line = _plain_error(capsys.readouterr().err)
    assert "CAPSULE_AUDIT_STORE_MEMORY" in line and "Possible solutions" not in line


def test_the_store_memory_setting_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    from capsule_audit.store.database import Store

    monkeypatch.setenv("CAPSULE_AUDIT_STORE_MEMORY", "300MB")
    store = Store()
    try:
        limit = store.con.execute("SELECT current_setting('memory_limit')").fetchone()
        assert limit is not None and limit[0].startswith("286")  # DuckDB shows 300MB as 286.1 MiB
    finally:
        store.close()


def test_store_faults_are_told_apart_from_bugs() -> None:
    import duckdb

    from capsule_audit.cli.faults import store_error_sentence

    commit = duckdb.TransactionException(
        "TransactionContext Error: Failed to commit: could not allocate block of size 256.0 KiB (15.2 MiB/15.2 MiB used)"
    )
    sentence = store_error_sentence(commit)
    assert sentence is not None and "CAPSULE_AUDIT_STORE_MEMORY" in sentence and "\n" not in sentence
    spill = store_error_sentence(
        duckdb.IOException('IO Error: Could not write file "/tmp/x": No space left on device')
    )
    assert spill is not None and "TMPDIR" in spill
    assert (
        store_error_sentence(duckdb.CatalogException("Catalog Error: Table with name t does not exist!"))
        is None
    )
