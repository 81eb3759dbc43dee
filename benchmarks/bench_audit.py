"""The whole `audit` on a synthetic dump: capsules per CPU-second, time per stage, peak memory.

Run: `.venv/bin/python -m benchmarks.bench_audit [COUNT] [--jobs N] [--sizes A,B,C] [--format json]`
(default 40,000 capsules and half that, jobs 1; `--sizes 10000,20000,100000` measures those;
`--large` adds one run at 200,000). Dumps come from
`python -m benchmarks.synth N --conflicts` (the smaller one is a prefix of the larger). Each audit
runs in a fresh child process, so its peak resident memory is its own (DuckDB's buffer pool
included). The child runs what `capsule-audit audit --format text` runs: no records or claims
listed, the text report written from the audit's store (`--format json`: records and claims
kept, JSON written).

Measured, not extrapolated from one point:
- rate: capsules per CPU-second of the whole command, the report's writing included (the
  child's CPU time plus its workers'), i.e. per core, so it does not depend on what else the
  machine runs; wall time is shown beside it. Until 2026-12-07 the rate left the report's
  writing out (50.6 CPU-s of a 100,000-capsule audit then);
- memory: peak RSS at COUNT/2 and COUNT; the difference gives the growth per capsule, and the
  1,000,000-capsule figure is that line, not a ratio of one run. Only a guide: the peak is the
  largest group held, and the synthetic dump's largest groups grow with it (a method in 37% of
  the capsules), so measure a million directly (`python -m benchmarks.synth 1000000`) to know;
- CPU time is not immune to the other core: a 100,000-capsule audit took 544 CPU-s beside another
  audit and 245 CPU-s alone on this 2-core machine, so compare runs made alone;
- stages (jobs 1 only, where every stage runs in the child): CPU seconds in the engine's
  per-capsule, group and follow-up rules; the rest is loading, normalization, extraction,
  filing rows in the store, and its queries;
- phases: wall and main-process CPU of the streaming phase (load, normalize, extract, CAPSULE
  rules, filing: what `--jobs` spreads over workers) and of the phase after it (group scan and
  rules: the rules in the workers too, `group_pass`; follow-ups, the findings read), so the
  share `--jobs` leaves in the main process is visible.
Targets (issue 12): at least 1,500 capsules per CPU-second at 100,000; cost per capsule flat from
10,000 to 100,000 (within 15%); peak RSS under 1 GiB.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("check_capsule", "check_groups", "follow_up_capsule")


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


def _timed(spent: dict[str, float], name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - start

    return wrapper


def _stream_timed(
    phase: dict[str, float], stream: Callable[..., Iterator[Any]]
) -> Callable[..., Iterator[Any]]:
    """`process_stream`, noting the wall and main-process CPU time at which it is exhausted."""

    @functools.wraps(stream)
    def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
        yield from stream(*args, **kwargs)
        phase["stream_end_wall"], phase["stream_end_cpu"] = time.perf_counter(), time.process_time()

    return wrapper


def run_audit(path: Path, jobs: int, fmt: str = "text") -> dict[str, Any]:
    """Audit `path` in this process: wall and CPU seconds, stage CPU, peak RSS, counts."""
    from capsule_audit import api
    from capsule_audit.api import audit_stream
    from capsule_audit.config import AuditConfig
    from capsule_audit.reporters.json_report import write_json
    from capsule_audit.reporters.text import write_text
    from capsule_audit.rules.engine import Engine

    spent = dict.fromkeys(STAGES, 0.0)
    for name in STAGES:  # a few calls per capsule at most: the wrappers cost nothing measurable
        setattr(Engine, name, _timed(spent, name, getattr(Engine, name)))
    phase: dict[str, float] = {}
    api.process_stream = _stream_timed(phase, api.process_stream)  # type: ignore[assignment]
    config = AuditConfig(now=datetime(2026, 6, 1, tzinfo=UTC), jobs=jobs)
    wall, cpu = time.perf_counter(), time.process_time()
    started_wall, started_cpu = wall, cpu
    as_json = fmt == "json"
    report = audit_stream([str(path)], config, keep_claims=as_json, keep_records=as_json)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    stream_wall = phase["stream_end_wall"] - started_wall
    stream_cpu = phase["stream_end_cpu"] - started_cpu
    audit_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # the peak so far: the audit's
    render_wall, render_cpu = time.perf_counter(), time.process_time()
    with report, tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        (write_json if as_json else write_text)(report, out)
        findings = report.summary.model_dump()["findings"]
    render_wall, render_cpu = time.perf_counter() - render_wall, time.process_time() - render_cpu
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "audit_rss_kib": audit_rss,
        "render_cpu": render_cpu,
        "documents": report.summary.documents,
        "findings": sum(findings.values()),
        "wall": wall + render_wall,  # the whole command: the audit and its report
        "cpu": cpu + render_cpu + workers.ru_utime + workers.ru_stime,
        "stages": spent,
        "stream_wall": stream_wall,
        "stream_main_cpu": stream_cpu,
        "post_wall": wall - stream_wall,
        "post_cpu": cpu - stream_cpu,
        "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "worker_rss_kib": workers.ru_maxrss,
    }


def measure(dump: Path, jobs: int, fmt: str = "text") -> dict[str, Any]:
    """One audit in a fresh child process."""
    child = [sys.executable, "-m", "benchmarks.bench_audit", "--jobs", str(jobs), "--child", str(dump)]
    child += ["--format", fmt]
    done = subprocess.run(child, cwd=ROOT, capture_output=True, check=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def report(runs: list[dict[str, Any]], jobs: int) -> None:
    """Print one column per dump size, then the memory line and the stage split of the largest."""
    print(f"jobs: {jobs}")
    print(f"{'capsules':<26}" + "".join(f"{int(r['documents']):>12,}" for r in runs))
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("findings", lambda r: f"{int(r['findings']):,}"),
        ("wall s", lambda r: f"{r['wall']:.2f}"),
        ("CPU s (incl. workers)", lambda r: f"{r['cpu']:.2f}"),
        ("capsules/CPU-s (per core)", lambda r: f"{r['documents'] / r['cpu']:,.0f}"),
        ("CPU ms per capsule", lambda r: f"{1000 * r['cpu'] / r['documents']:.2f}"),
        ("stream phase wall s", lambda r: f"{r['stream_wall']:.2f}"),
        ("stream phase main CPU s", lambda r: f"{r['stream_main_cpu']:.2f}"),
        ("post-stream wall s", lambda r: f"{r['post_wall']:.2f}"),
        ("post-stream CPU s", lambda r: f"{r['post_cpu']:.2f}"),
        ("report write CPU s", lambda r: f"{r['render_cpu']:.2f}"),
        ("peak RSS MiB, audit", lambda r: f"{r['audit_rss_kib'] / 1024:,.0f}"),
        ("peak RSS MiB, + render", lambda r: f"{r['rss_kib'] / 1024:,.0f}"),
        ("peak worker RSS MiB", lambda r: f"{r['worker_rss_kib'] / 1024:,.0f}"),
    ]
    for label, cell in rows:
        print(f"{label:<26}" + "".join(f"{cell(r):>12}" for r in runs))
    small, large = runs[0], runs[-1]
    grown = large["documents"] - small["documents"]
    for label, field in (("audit", "audit_rss_kib"), ("audit + report written", "rss_kib")):
        if grown <= 0:
            break
        per_capsule = (large[field] - small[field]) / grown  # KiB per capsule
        at_million = large[field] + per_capsule * (1_000_000 - large["documents"])
        print(
            f"memory growth, {label}: {per_capsule:.2f} KiB/capsule"
            f" -> {at_million / 1024**2:,.2f} GiB at 1,000,000"
        )
    if jobs == 1:
        total = large["cpu"]
        rest = total - sum(large["stages"].values()) - large["render_cpu"]
        split = {**large["stages"], "report write": large["render_cpu"], "load+normalize+extract+store": rest}
        print(f"CPU by stage at {int(large['documents']):,} capsules:")
        for name, seconds in split.items():
            print(f"  {name:<30}{seconds:>8.2f} s {100 * seconds / total:>5.1f}%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, nargs="?", default=40_000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--sizes", help="comma-separated dump sizes (instead of COUNT/2 and COUNT)")
    parser.add_argument("--large", action="store_true", help="add one run at 200,000 capsules")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="the report written")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_audit(args.child, args.jobs, args.format)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        sizes = sorted(
            {int(n) for n in args.sizes.split(",")}
            if args.sizes
            else {max(args.count // 2, 1), args.count, *([200_000] if args.large else [])}
        )
        runs = [measure(make_dump(n, Path(tmp)), args.jobs, args.format) for n in sizes]
    print(f"format: {args.format}")
    report(runs, args.jobs)


if __name__ == "__main__":
    main()
