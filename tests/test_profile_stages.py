"""`benchmarks.profile_stages` still wraps the functions the audit calls: a renamed stage function
must fail here, not in the next person's profiling session."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = re.compile(r'_patch\([\w.]+, "\w+", "([^"]+)"\)')


def test_every_stage_is_charged_on_a_small_dump(tmp_path: Path) -> None:
    dump = tmp_path / "d.ndjson"
    synth = [sys.executable, "-m", "benchmarks.synth", "60", "--conflicts"]
    dump.write_text(subprocess.run(synth, cwd=ROOT, capture_output=True, check=True, text=True).stdout)
    child = [sys.executable, "-m", "benchmarks.profile_stages", "--child", str(dump)]
    done = subprocess.run(child, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    run = json.loads(done.stdout.strip().splitlines()[-1])
    stages = run["stages"]
    for stage in (
        "claim extraction",
        "rows (claim_rows, member_rows)",
        "group rules",
        "findings settled (store.final)",
    ):
        assert stages[stage] > 0, stage  # each wrapped function was reached
    assert run["report_chars"] > 0
    assert abs(sum(stages.values()) - run["cpu"]) < 1e-6 * max(run["cpu"], 1)  # stages add up
