"""The whole `audit` on a synthetic dump: capsules/s per core and peak memory.

Run: `.venv/bin/python -m benchmarks.bench_audit [COUNT] [--jobs N]` (default 20,000 capsules,
jobs 1). The dump comes from `python -m benchmarks.synth COUNT --conflicts`. The audit runs in a
fresh child process so that its peak resident memory (ru_maxrss of the child and its workers)
is the audit's own. Target (issue 4): at least 3,000 capsules/s per core, and peak memory below
2 GiB at 1,000,000 capsules (extrapolated linearly from COUNT: memory grows with the claims and
group members kept, records are not kept).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_dump(count: int, folder: Path) -> Path:
    """The synthetic NDJSON dump with injected conflicts."""
    path = folder / f"synth-{count}.ndjson"
    with path.open("wb") as out:
        subprocess.run(
            [sys.executable, "-m", "benchmarks.synth", str(count), "--conflicts"],
            cwd=ROOT,
            stdout=out,
            check=True,
        )
    return path


def run_audit(path: Path, jobs: int) -> dict[str, float]:
    """Audit `path` in this process; seconds, documents and findings."""
    from capsule_audit.api import audit
    from capsule_audit.config import AuditConfig

    config = AuditConfig(now=datetime(2026, 6, 1, tzinfo=UTC), jobs=jobs)
    start = time.perf_counter()
    report = audit([str(path)], config)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "documents": report.summary.documents, "findings": len(report.findings)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, nargs="?", default=20_000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_audit(args.child, args.jobs)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        dump = make_dump(args.count, Path(tmp))
        child = [
            sys.executable,
            "-m",
            "benchmarks.bench_audit",
            "--jobs",
            str(args.jobs),
            "--child",
            str(dump),
        ]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result = json.loads(
            subprocess.run(child, cwd=ROOT, capture_output=True, check=True, text=True).stdout
        )
        peak_kib = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    rate = result["documents"] / result["seconds"]
    per_million = peak_kib / 1024 / args.count * 1_000_000
    print(f"capsules:            {int(result['documents'])}")
    print(f"findings:            {int(result['findings'])}")
    print(f"jobs:                {args.jobs}")
    print(f"seconds:             {result['seconds']:.2f}")
    print(f"capsules/s:          {rate:,.0f} ({rate / args.jobs:,.0f} per core)")
    print(f"peak memory:         {peak_kib / 1024:,.0f} MiB")
    print(f"at 1,000,000 (est.): {per_million / 1024:,.2f} GiB")


if __name__ == "__main__":
    main()
