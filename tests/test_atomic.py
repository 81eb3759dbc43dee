"""Output files are replaced whole or not at all: a failure or an interruption keeps the old one."""

from __future__ import annotations

import os
import signal
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from capsule_audit import interrupts
from capsule_audit.atomic import atomic_writer, write_atomically
from capsule_audit.interrupts import Interrupted
from tests.conftest import SEEDS


@pytest.fixture
def installed(signals_restored: None) -> None:
    interrupts.install()


def _old(tmp_path: Path) -> Path:
    target = tmp_path / "report.json"
    target.write_text('{"old": true}\n', encoding="utf-8")
    return target


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = _old(tmp_path)
    with pytest.raises(RuntimeError), atomic_writer(target) as out:
        out.write('{"new": ')
        raise RuntimeError("reporter failed half way")
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


@pytest.mark.usefixtures("installed")
def test_sigterm_while_writing_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = _old(tmp_path)
    with pytest.raises(Interrupted), atomic_writer(target) as out:
        out.write('{"new": ')
        os.kill(os.getpid(), signal.SIGTERM)
        out.write("never written}")
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_complete_write_replaces_the_file_keeping_its_permissions(tmp_path: Path) -> None:
    target = _old(tmp_path)
    target.chmod(0o640)
    write_atomically(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_symlinked_target_keeps_its_link_and_replaces_what_it_points_to(tmp_path: Path) -> None:
    real = _old(tmp_path)
    link = tmp_path / "latest.json"
    link.symlink_to(real.name)
    write_atomically(link, "new\n")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new\n"


def test_a_named_pipe_is_written_in_place_not_replaced(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_atomically(pipe, "through the pipe\n")
        assert os.read(reader, 100) == b"through the pipe\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(pipe.stat().st_mode)


@pytest.mark.usefixtures("signals_restored")
def test_an_audit_interrupted_while_writing_junit_keeps_the_previous_junit_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from capsule_audit import cli
    from capsule_audit.reporters import streamed

    target = tmp_path / "junit.xml"
    target.write_text("<previous/>\n", encoding="utf-8")

    def half_then_sigterm(source: Any, out: Any, **_: Any) -> None:
        out.write('<?xml version="1.0"?>\n<testsuites')
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(streamed, "write_junit", half_then_sigterm)
    argv = ["capsule-audit", "audit", str(SEEDS), "-j", "1", "-o", os.devnull, "--junit-output", str(target)]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 2
    assert target.read_text(encoding="utf-8") == "<previous/>\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junit.xml"]


@pytest.mark.usefixtures("installed")
def test_sigterm_while_the_temporary_file_is_made_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = _old(tmp_path)
    made = tempfile.mkstemp

    def mkstemp_then_sigterm(*args: Any, **kwargs: Any) -> tuple[int, str]:
        created = made(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGTERM)  # held until the file has an owner
        return created

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_then_sigterm)
    with pytest.raises(Interrupted), atomic_writer(target) as out:
        out.write("never reached")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'
