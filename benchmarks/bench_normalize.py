"""Normalize throughput (CPU time) and memory: fast path, pyld path, loading, the whole CLI process.

    python -m benchmarks.bench_normalize            # defaults: 20,000 fast, 300 pyld, CLI at 50k and 200k
    python -m benchmarks.bench_normalize --fast 5000 --pyld 100 --cli 10000 --runs 3

Every rate is records per CPU second (user + system), the best of `--runs` runs: on a shared,
loaded machine wall time measures the neighbours. In process: parse (orjson) + normalize +
serialize (the NDJSON line) per capsule, for the fast path and the pyld path; loading alone
(`iter_documents` over the dump file) shows what part of the CLI time is reading and parsing.
CLI: `python -m benchmarks.synth N` written to a temporary file, then `capsule-audit normalize`
on it in a child process that reports its own CPU time and peak RSS; the start-up cost (imports)
is measured on a one-capsule dump and shown apart. Peak RSS should not grow with the dump.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from capsule_audit.cli.normalize import record_line
from capsule_audit.config import AuditConfig
from capsule_audit.loading import iter_documents
from capsule_audit.loading.documents import JsonDocument
from capsule_audit.models.records import CapsuleRecord, SourceRef
from capsule_audit.normalize.dispatch import normalize_json


def _best_cpu(work: Callable[[], int], runs: int) -> tuple[float, int]:
    """(fewest CPU seconds over `runs` runs, the count `work` returned)."""
    best, count = float("inf"), 0
    for _ in range(runs):
        start = time.process_time()
        count = work()
        best = min(best, time.process_time() - start)
    return best, count


def _in_process(lines: list[bytes], *, fast_path: bool, runs: int) -> float:
    """Records per CPU second: parse + normalize + serialize."""
    source = SourceRef(path="bench.jsonl")

    def work() -> int:
        count = 0
        for line in lines:
            for unit in normalize_json(JsonDocument(source, orjson.loads(line)), fast_path=fast_path):
                if isinstance(unit, CapsuleRecord):
                    record_line(unit)
                    count += 1
        return count

    seconds, count = _best_cpu(work, runs)
    return count / seconds


def _loading(dump: Path, runs: int) -> float:
    """Documents per CPU second of loading alone (read, split, parse, limits)."""
    limits = AuditConfig().limits
    seconds, count = _best_cpu(lambda: sum(1 for _ in iter_documents([str(dump)], limits)), runs)
    return count / seconds


# The CLI, then its own CPU seconds and peak RSS (KiB) on stderr: one child per measurement.
_CHILD = (
    "import resource, sys\n"
    "sys.argv = ['capsule-audit', *sys.argv[1:]]\n"
    "from capsule_audit.cli import main\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
    "print(usage.ru_utime + usage.ru_stime, usage.ru_maxrss, file=sys.stderr)\n"
)


def _synth(count: int, dump: Path) -> None:
    with dump.open("wb") as out:
        subprocess.run(
            [sys.executable, "-m", "benchmarks.synth", str(count), "--seed", "1"], stdout=out, check=True
        )


def _cli(dump: Path, runs: int) -> tuple[float, float]:
    """(fewest CPU seconds, peak RSS MiB) of `capsule-audit normalize dump > /dev/null`."""
    best, rss = float("inf"), 0.0
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, "normalize", str(dump)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        cpu, rss_kib = done.stderr.decode().strip().splitlines()[-1].split()
        best, rss = min(best, float(cpu)), max(rss, int(rss_kib) / 1024)
    return best, rss


def main(argv: list[str] | None = None) -> None:
    """Print the measurements."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--fast", type=int, default=20_000)
    parser.add_argument("--pyld", type=int, default=300)
    parser.add_argument("--cli", type=int, default=50_000, help="CLI dump size (also 4x); 0 skips the CLI.")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        fast_dump = Path(tmp) / "fast.jsonl"
        _synth(args.fast, fast_dump)
        lines = fast_dump.read_bytes().splitlines()
        rate = _in_process(lines, fast_path=True, runs=args.runs)
        print(f"fast path, in process: {rate:,.0f} records/s (CPU)")
        rate = _in_process(lines[: args.pyld], fast_path=False, runs=args.runs)
        print(f"pyld path, in process: {rate:,.0f} records/s (CPU)")
        print(f"loading alone: {_loading(fast_dump, args.runs):,.0f} documents/s (CPU)")
        if not args.cli:
            return
        one = Path(tmp) / "one.jsonl"
        _synth(1, one)
        startup, rss = _cli(one, args.runs)
        print(f"CLI start-up (1 capsule): {startup:.2f} s CPU, peak RSS {rss:,.0f} MiB")
        for size in (args.cli, args.cli * 4):
            dump = Path(tmp) / f"dump-{size}.jsonl"
            _synth(size, dump)
            cpu, rss = _cli(dump, args.runs)
            dump.unlink()
            print(
                f"CLI normalize, {size:,} capsules: {size / cpu:,.0f} records/s (whole process, CPU), "
                f"{size / max(cpu - startup, 1e-9):,.0f} records/s after start-up, peak RSS {rss:,.0f} MiB"
            )


if __name__ == "__main__":
    main()
