"""A batch checked against a corpus store: the CI use (`audit BATCH --store CORPUS`), timed whole.

Run: `.venv/bin/python -m benchmarks.bench_batch [COUNT] [--batch N] [--jobs J] [--store PATH]`
(default a 100,000-capsule corpus, a 500-capsule batch, jobs 2). The corpus is
`python -m benchmarks.synth COUNT --conflicts`, indexed with `capsule-audit index` (timed too),
unless `--store` names an existing one (then only read: the audit runs without `--update`); the
batch is `python -m benchmarks.synth N --conflicts --seed 7`, a different draw from the same
templates, so it touches the corpus's giant groups (its shared title, its min-hash block, its
method blocks) as a real batch of one pipeline's capsules would.

Each command runs as its own process, as CI runs it: wall seconds, CPU seconds (the command and
its workers), its largest process's peak RSS (`ru_maxrss`), and the exit code.
Target (issue 12): a 500-capsule batch against a 1,000,000-capsule store in under 10 s wall; the
README gives the measured numbers.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_audit import make_dump

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "from capsule_audit.cli import main; main()"]
NOW = "2026-12-01T00:00:00Z"
"""The audit clock, fixed: the same findings on every run."""
BATCH_SEED = 7
"""The batch's draw: any seed but the corpus's (0) gives capsules the corpus does not hold."""


def make_batch(count: int, folder: Path) -> Path:
    """The batch: `count` synthetic capsules with conflicts, drawn with `BATCH_SEED`."""
    path = folder / f"batch-{count}.ndjson"
    with path.open("wb") as out:
        command = [
            sys.executable,
            "-m",
            "benchmarks.synth",
            str(count),
            "--conflicts",
            "--seed",
            str(BATCH_SEED),
        ]
        subprocess.run(command, cwd=ROOT, stdout=out, check=True)
    return path


# The command runs under a small Python parent that reports its own children's usage: the
# benchmark's `RUSAGE_CHILDREN` would give the largest process of every command run so far.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "used = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(code, used.ru_utime + used.ru_stime, used.ru_maxrss)"
)


def timed(args: list[str], folder: Path) -> dict[str, float | int]:
    """Run the CLI with `args` in a child process (temporary files under `folder`)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *CLI, *args],
        cwd=ROOT,
        capture_output=True,
        env={**os.environ, "TMPDIR": str(folder)},
        check=True,
    )
    wall = time.perf_counter() - start
    code, cpu, rss = done.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"capsule-audit {args[0]} exited {code.decode()}: {done.stderr.decode()[-500:]}")
    return {"wall_s": wall, "cpu_s": float(cpu), "peak_rss_mib": int(rss) / 1024, "exit": int(code)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=100_000, help="corpus capsules")
    parser.add_argument("--batch", type=int, default=500, help="batch capsules (default 500)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--store", type=Path, help="an existing corpus store (read, not updated)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = args.store
        if store is None:
            store = folder / "corpus.duckdb"
            corpus = make_dump(args.count, folder)
            indexed = timed(["index", str(corpus), "--store", str(store), "--jobs", str(args.jobs)], folder)
            print(f"index {args.count:,} capsules: {_line(indexed)}")
        batch = make_batch(args.batch, folder)
        checked = timed(
            [
                "audit",
                str(batch),
                "--store",
                str(store),
                "--jobs",
                str(args.jobs),
                "--now",
                NOW,
                "--format",
                "text",
                "-o",
                str(folder / "report.txt"),
            ],
            folder,
        )
        print(f"audit {args.batch:,} against {store.name}: {_line(checked)}")


def _line(measured: dict[str, float | int]) -> str:
    return (
        f"{measured['wall_s']:.1f} s wall, {measured['cpu_s']:.1f} CPU-s, "
        f"peak RSS {measured['peak_rss_mib']:.0f} MiB, exit {measured['exit']}"
    )


if __name__ == "__main__":
    main()
