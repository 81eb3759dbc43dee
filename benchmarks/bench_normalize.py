"""Normalize throughput and memory: fast path vs pyld path, in process and for the whole CLI.

    python -m benchmarks.bench_normalize            # defaults: 20,000 fast, 500 pyld, CLI at 50k and 200k
    python -m benchmarks.bench_normalize --fast 5000 --pyld 200 --cli 10000

In process: parse (orjson) + normalize + serialize (the NDJSON line) per capsule. CLI: a synthetic
dump written to a temporary file, `capsule-audit normalize dump > /dev/null` in a subprocess, wall
time and peak RSS; run at two sizes, peak RSS should not grow with the dump (streaming).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import orjson

from benchmarks.synth import generate
from capsule_audit.cli.normalize import record_line
from capsule_audit.loading.documents import JsonDocument
from capsule_audit.models.records import CapsuleRecord, SourceRef
from capsule_audit.normalize.dispatch import normalize_json


def _in_process(lines: list[bytes], *, fast_path: bool) -> tuple[float, int]:
    """(records/s, peak traced bytes of one more pass over 200 lines)."""
    source = SourceRef(path="bench.jsonl")
    start = time.perf_counter()
    count = 0
    for line in lines:
        for unit in normalize_json(JsonDocument(source, orjson.loads(line)), fast_path=fast_path):
            if isinstance(unit, CapsuleRecord):
                record_line(unit)
                count += 1
    rate = count / (time.perf_counter() - start)
    tracemalloc.start()
    for line in lines[:200]:
        list(normalize_json(JsonDocument(source, orjson.loads(line)), fast_path=fast_path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rate, peak


# The CLI, then its own peak RSS (KiB) on stderr: one child per measurement, so peaks do not mix.
_CHILD = (
    "import resource, sys\n"
    "sys.argv = ['capsule-audit', *sys.argv[1:]]\n"
    "from capsule_audit.cli import main\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def _cli(count: int) -> tuple[float, float]:
    """(records/s, peak RSS MiB) of the whole `capsule-audit normalize` process on `count` capsules."""
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "dump.jsonl"
        with dump.open("wb") as out:
            for line in generate(count, seed=1):
                out.write(line)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, "normalize", str(dump)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        elapsed = time.perf_counter() - start
    rss_kib = int(done.stderr.decode().strip().splitlines()[-1])
    return count / elapsed, rss_kib / 1024


def main(argv: list[str] | None = None) -> None:
    """Print the measurements."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--fast", type=int, default=20_000)
    parser.add_argument("--pyld", type=int, default=500)
    parser.add_argument("--cli", type=int, default=50_000)
    args = parser.parse_args(argv)
    fast_lines = list(generate(args.fast, seed=2))
    rate, peak = _in_process(fast_lines, fast_path=True)
    print(f"fast path, in process: {rate:,.0f} records/s, peak {peak / 1024:,.0f} KiB traced per 200 docs")
    rate, peak = _in_process(fast_lines[: args.pyld], fast_path=False)
    print(f"pyld path, in process: {rate:,.0f} records/s, peak {peak / 1024:,.0f} KiB traced per 200 docs")
    if args.cli:
        for size in (args.cli, args.cli * 4):
            rate, rss = _cli(size)
            print(
                f"CLI normalize, {size:,} capsules: {rate:,.0f} records/s (whole process), peak RSS {rss:,.0f} MiB"
            )


if __name__ == "__main__":
    main()
