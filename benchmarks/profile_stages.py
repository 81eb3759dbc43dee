"""CPU time of a whole `audit --format text --jobs 1` by stage, without a profiler's overhead.

Run: `.venv/bin/python -m benchmarks.profile_stages DUMP [--runs N]` (a dump from
`python -m benchmarks.synth N --conflicts`). Each run is a fresh child process; the stage
functions are wrapped with a CPU-time stopwatch that charges each stage its own time only
(a stage called inside another is subtracted from its caller), so the stages add up to the
process's CPU time. cProfile adds a cost per Python call, which inflates call-heavy code
(extraction) against C-heavy code (DuckDB, pyarrow): use it to find what is slow inside a
stage, and this to know the stages' shares.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import io
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

SPENT: dict[str, float] = {}
_stack: list[list[float]] = []  # [start, time of the stages called inside] per open stage


def _enter() -> None:
    _stack.append([time.process_time(), 0.0])


def _leave(name: str) -> None:
    start, inner = _stack.pop()
    total = time.process_time() - start
    SPENT[name] = SPENT.get(name, 0.0) + total - inner
    if _stack:
        _stack[-1][1] += total


def _timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.isgeneratorfunction(func):

        @functools.wraps(func)
        def gen_wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
            _enter()
            try:
                it = func(*args, **kwargs)
            finally:
                _leave(name)
            while True:
                _enter()
                try:
                    item = next(it)
                except StopIteration:
                    return
                finally:
                    _leave(name)
                yield item

        return gen_wrapper

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _enter()
        try:
            return func(*args, **kwargs)
        finally:
            _leave(name)

    return wrapper


def _patch(owner: Any, attr: str, name: str) -> None:
    setattr(owner, attr, _timed(name, getattr(owner, attr)))


def instrument() -> None:
    """Wrap each stage's functions where their callers look them up."""
    from capsule_audit import claims, group_pass, normalize, pipeline
    from capsule_audit.cli import audit_run
    from capsule_audit.rules.engine import Engine
    from capsule_audit.store import capsules, chunks, collect, final, finding_reads, groups

    _patch(pipeline, "_chunks", "loading (read, parse, limits)")  # pulls the documents
    _patch(normalize, "normalize_document", "normalization")
    _patch(claims, "extract", "claim extraction")
    _patch(Engine, "check_capsule", "per-capsule rules")
    _patch(pipeline, "members_for", "group entries (members_for)")
    _patch(pipeline, "member_rows", "rows (claim_rows, member_rows)")
    _patch(pipeline, "claim_rows", "rows (claim_rows, member_rows)")
    _patch(chunks.ChunkBuilder, "processed", "Arrow chunks (store.chunks)")
    _patch(chunks.ChunkBuilder, "build", "Arrow chunks (store.chunks)")
    _patch(collect.Kept, "absorb", "filing rows (Kept.absorb, store appends)")
    _patch(collect.Kept, "flush", "filing rows (Kept.absorb, store appends)")
    _patch(groups.GroupIndex, "batches", "group scan (store.groups)")
    _patch(group_pass, "assemble", "groups rebuilt (store.groups.assemble)")
    _patch(Engine, "check_groups", "group rules")
    _patch(collect, "follow_up", "follow-up pass (store.capsules)")  # collect's own name for it
    _patch(Engine, "follow_up_capsule", "follow-up pass (store.capsules)")
    _patch(final.FinalFindings, "settle", "findings settled (store.final)")
    _patch(final.FinalFindings, "counts", "findings settled (store.final)")
    # read_findings and read_lines return the generator of `_read_in_order`: its iteration is the read
    _patch(finding_reads, "_read_in_order", "findings read (store.finding_reads)")
    _patch(audit_run, "_write_outputs", "report writing (less findings read)")
    del capsules


def run_child(dump: Path) -> dict[str, Any]:
    """One audit as the CLI runs it (`--format text --jobs 1`), timed by stage."""
    cpu0 = time.process_time()
    from capsule_audit.cli import main  # imports are a stage of their own

    SPENT["imports"] = time.process_time() - cpu0
    instrument()
    out = io.StringIO()
    argv = ["capsule-audit", "audit", str(dump), "--now", "2026-06-01", "--jobs", "1", "--format", "text"]
    sys.argv, stdout = argv, sys.stdout
    sys.stdout = out
    try:
        main()
    except SystemExit:
        pass
    finally:
        sys.stdout = stdout
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    SPENT["other (CLI, setup, store)"] = cpu - sum(SPENT.values())
    return {"cpu": cpu, "stages": SPENT, "report_chars": len(out.getvalue())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dump", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.dump)))
        return
    runs = []
    for _ in range(args.runs):
        child = [sys.executable, "-m", "benchmarks.profile_stages", "--child", str(args.dump)]
        done = subprocess.run(child, cwd=ROOT, capture_output=True, check=True, text=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["cpu"])
    print("CPU s per run: " + ", ".join(f"{r['cpu']:.2f}" for r in runs))
    print(f"stages of the fastest run ({best['cpu']:.2f} CPU-s):")
    for name, seconds in sorted(best["stages"].items(), key=lambda kv: -kv[1]):
        print(f"  {name:<42}{seconds:>8.2f} s {100 * seconds / best['cpu']:>5.1f}%")


if __name__ == "__main__":
    main()
