"""`audit --store --update` is one transaction: Ctrl-C or a full disk at any step leaves the corpus as it was.

The fault is injected at each statement of `store.corpus.update` in turn (a proxy over the
audit's DuckDB connection raises before running it), and the corpus file is compared, table by
table and row by row, with its state before the run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner, Result

from capsule_audit.cli import app
from capsule_audit.store import corpus as corpus_module
from capsule_audit.store.database import Store

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-06-01T00:00:00Z"
FAULT_AT = (2, 3, 5, 7, 8, 9)
"""Statements of the update (1 BEGIN; 2-7 a DELETE and an INSERT for each of the three tables;
8 the version UPDATE; 9 COMMIT) at which a fault is injected: first, middle, last, COMMIT."""


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A corpus store of 60 synthetic capsules and a batch of 25 (5 of them re-indexed)."""
    folder = tmp_path_factory.mktemp("corpus")
    dump = subprocess.run(
        [sys.executable, "-m", "benchmarks.synth", "80", "--conflicts"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.splitlines(keepends=True)
    (folder / "corpus").mkdir()
    (folder / "batch").mkdir()
    (folder / "corpus" / "old.ndjson").write_bytes(b"".join(dump[:60]))
    (folder / "batch" / "new.ndjson").write_bytes(b"".join(dump[55:]))
    store = folder / "corpus.duckdb"
    done = CliRunner().invoke(app, ["index", str(folder / "corpus"), "--store", str(store), "-j", "1"])
    assert done.exit_code == 0, done.stderr
    return store, folder / "batch"


def _contents(store: Path) -> dict[str, list[str]]:
    with duckdb.connect(str(store), read_only=True) as db:
        return {
            name: sorted(map(repr, db.execute(f"SELECT * FROM {name}").fetchall()))
            for name in (*corpus_module.CORPUS_TABLES, "store_info")
        }


class _FailingConnection:
    """The audit's connection, raising `fault` instead of running its `at`-th statement."""

    def __init__(self, con: duckdb.DuckDBPyConnection, at: int, fault: BaseException) -> None:
        self.con, self.at, self.fault, self.seen = con, at, fault, 0

    def execute(self, sql: str, *args: Any) -> Any:
        self.seen += 1
        if self.seen == self.at:
            raise self.fault
        return self.con.execute(sql, *args)


def _inject(monkeypatch: pytest.MonkeyPatch, at: int, fault: BaseException) -> list[_FailingConnection]:
    real = corpus_module.update
    used: list[_FailingConnection] = []

    def failing_update(store: Store, path: Path) -> None:
        used.append(_FailingConnection(store.con, at, fault))
        real(SimpleNamespace(con=used[-1]), path)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus_module, "update", failing_update)
    return used


def _copy(indexed: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path, dict[str, list[str]]]:
    """A fresh copy of the indexed corpus, the batch, and the copy's contents before the run."""
    source, batch = indexed
    store = tmp_path / "corpus.duckdb"
    shutil.copyfile(source, store)
    return store, batch, _contents(store)


def _update(batch: Path, store: Path) -> Result:
    """`capsule-audit audit BATCH --store STORE --update`, in this process (so faults injected here apply)."""
    return CliRunner().invoke(
        app, ["audit", str(batch), "--store", str(store), "--update", "--now", NOW, "-j", "1"]
    )


@pytest.mark.parametrize("at", FAULT_AT)
def test_ctrl_c_at_any_step_of_update_leaves_the_store_as_it_was(
    indexed: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at: int
) -> None:
    store, batch, before = _copy(indexed, tmp_path)
    used = _inject(monkeypatch, at, KeyboardInterrupt())
    result = _update(batch, store)
    assert used and used[0].seen >= at  # the interruption happened inside the update
    assert result.exit_code not in (0, 1)  # interrupted, never reported as a finished audit
    assert _contents(store) == before


@pytest.mark.parametrize("at", FAULT_AT)
def test_a_full_disk_at_any_step_of_update_exits_2_and_leaves_the_store_as_it_was(
    indexed: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at: int
) -> None:
    store, batch, before = _copy(indexed, tmp_path)
    _inject(monkeypatch, at, duckdb.IOException("IO Error: could not write file: No space left on device"))
    result = _update(batch, store)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(store) in lines[0] and "unchanged" in lines[0]
    assert _contents(store) == before


def test_without_a_fault_the_update_changes_the_store(indexed: tuple[Path, Path], tmp_path: Path) -> None:
    """The proxy's baseline: the same run, uninterrupted, does add the batch (the comparison can fail)."""
    store, batch, before = _copy(indexed, tmp_path)
    result = _update(batch, store)
    assert result.exit_code in (0, 1), result.stderr
    after = _contents(store)
    # 25 in the batch, 5 of them re-indexed (replaced, not added twice)
    assert len(before["capsules"]) == 60 and len(after["capsules"]) == 80
