"""A dump whose findings name thousands of capsules audits under a store memory far below its size.

3,000 synthetic capsules with injected conflicts: one title finding names every capsule, method
findings name over a thousand each: the 100,000-capsule audit that once ran DuckDB out of its
256 MB (whole lists in finding rows, per-capsule joins grouped over wide capsule rows), scaled
down with the store's memory. The JSON report, every capsule entry and claim included, must
come out whole. (`tests/store/test_findings.py` holds the tight cases: findings bigger than
the store's memory.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[2]


def test_a_dump_with_huge_findings_audits_to_a_whole_report_under_a_small_store(tmp_path: Path) -> None:
    dump = tmp_path / "synth-3000.ndjson"
    with dump.open("wb") as out:
        subprocess.run(
            [sys.executable, "-m", "benchmarks.synth", "3000", "--conflicts"],
            cwd=ROOT,
            stdout=out,
            check=True,
        )
    report = tmp_path / "report.json"
    command = [sys.executable, "-c", "from capsule_audit.cli import main; main()", "audit", str(dump)]
    done = subprocess.run(
        [*command, "-j", "1", "--format", "json", "-o", str(report), "--now", "2026-06-01T00:00:00Z"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "CAPSULE_AUDIT_STORE_MEMORY": "64MB"},
        timeout=600,
    )
    assert done.returncode == 1, done.stderr  # findings, not a store fault
    data = orjson.loads(report.read_bytes())
    assert data["summary"]["capsules"] == len(data["capsules"]) == 3000
    assert data["summary"]["claims"] == len(data["claims"])
    widest = max(data["findings"], key=lambda f: len(f["capsules"]))
    assert widest["rule"] == "CA104" and len(widest["capsules"]) == 3000
    assert len(widest["evidence"]) == 3000
    named = {fingerprint for entry in data["capsules"] for fingerprint in entry["findings"]}
    assert named == {f["fingerprint"] for f in data["findings"] if f["capsules"]}
