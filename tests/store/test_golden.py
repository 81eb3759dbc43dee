"""The DuckDB data plane reports what the spool data plane it replaced reported, to the fingerprint.

`tests/data/synth-400-conflicts-findings.tsv` lists every finding (rule, key, fingerprint, a
hash of its capsule ids), in report order, that capsule-audit 2cdf67f (pickled spools, in-memory group index)
gave on the synthetic 400-capsule dump with injected conflicts. The audit must give the same
list, in the same order, for one job or two (the group rules in a pool too) and for the dump
in reverse order.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from capsule_audit.api import audit
from capsule_audit.config import AuditConfig
from capsule_audit.store import group_batches

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "tests" / "data" / "synth-400-conflicts-findings.tsv"
NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "synth-400.ndjson"
    with path.open("wb") as out:
        command = [sys.executable, "-m", "benchmarks.synth", "400", "--conflicts"]
        subprocess.run(command, cwd=ROOT, stdout=out, check=True)
    return path


def _expected() -> list[tuple[str, str, str, str]]:
    lines = EXPECTED.read_text(encoding="utf-8").splitlines()
    rows = [tuple(line.split("\t")) for line in lines if not line.startswith("#")]
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def _found(paths: list[str], jobs: int) -> list[tuple[str, str, str, str]]:
    report = audit(paths, AuditConfig(now=NOW, jobs=jobs))
    return [(f.rule, f.key or "", f.fingerprint, _digest(f.capsules)) for f in report.findings]


def _digest(capsules: tuple[str, ...]) -> str:
    return hashlib.sha256(" ".join(capsules).encode("utf-8")).hexdigest()[:16]


def test_the_store_gives_the_findings_and_fingerprints_of_the_spool_data_plane(dump: Path) -> None:
    expected = _expected()
    assert len(expected) == 912 and {row[0] for row in expected} >= {"CA401", "CA403", "CA503"}
    assert _found([str(dump)], jobs=1) == expected


def test_the_same_findings_for_two_jobs_and_the_dump_reversed(
    dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reversed_dump = tmp_path / "reversed.ndjson"
    lines = dump.read_bytes().splitlines(keepends=True)
    reversed_dump.write_bytes(b"".join(reversed(lines)))
    expected = _expected()
    # Batches of groups small enough that the group rules run in the pool too (`group_pass`).
    monkeypatch.setattr(group_batches, "BATCH_ROWS", 512)
    assert _found([str(dump)], jobs=2) == expected
    # Findings point at lines of their file: in the reversed dump only their order may not
    # change, and their identities (fingerprints) must not.
    assert _found([str(reversed_dump)], jobs=1) == expected


def test_the_same_findings_with_workers_started_by_spawn(dump: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Where fork does not exist (Windows) workers are spawned: a fresh interpreter that gets the
    # worker set-up and every task by pickling. Both pools (the stream and the group rules) run.
    started: list[str] = []
    real = multiprocessing.get_context

    def context(method: str | None = None) -> Any:
        started.append(str(method))
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(multiprocessing, "get_context", context)
    monkeypatch.setattr(group_batches, "BATCH_ROWS", 512)
    assert _found([str(dump)], jobs=2) == _expected()
    assert started == ["spawn", "spawn"]  # the stream's pool, then the group pass's
