"""Rebuilding a store's largest group as Python objects: peak memory and CPU of `assemble`.

Run: `.venv/bin/python -m benchmarks.bench_group_rebuild [COUNT] [--kind method] [--store PATH]`.
Indexes `python -m benchmarks.synth COUNT --conflicts` (default 100,000) into a corpus store with
`capsule-audit index` (or reads `--store`, read-only), reads the largest group of KIND through the
group scan's batches (`store.group_batches.cut`) and rebuilds it (`store.groups.assemble`): what
a group worker does before the rules run (a METHOD group: its credits, `store.method_scan`). Reported: the group's member and claim rows, the
Arrow bytes of its batch, CPU seconds of the rebuild (untraced), and the memory Python
allocations hold at the end and at the peak of a second, traced rebuild (`tracemalloc`).

On 2026-12-07, the 200,000-capsule store's largest METHOD group (150,061 claims, 114 MiB of
Arrow): 4.9 CPU-s, 630 MiB held, 649 MiB at the peak; before its rows were turned into values a
slice at a time and repeated values shared: 4.8 CPU-s, 746 MiB held, 1,037 MiB at the peak.
Read as its credits (2026-12-07, `store.method_scan`): 67 MiB of Arrow, 2.1 CPU-s, 216 MiB held,
220 MiB at the peak.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import duckdb

from capsule_audit.rules.base import GroupKind
from capsule_audit.store.database import configured_memory_limit, sql_literal
from capsule_audit.store.group_batches import GroupBatch, cut
from capsule_audit.store.groups import MEMBER_ORDER, SCAN_COLUMNS, SCAN_ORDER, assemble
from capsule_audit.store.method_scan import credit_scan, cut_credits

_LARGEST = "SELECT key, count(*) AS n FROM members WHERE kind = ? GROUP BY key ORDER BY n DESC, key LIMIT 1"


def make_store(count: int, folder: Path) -> Path:
    """A corpus store of the synthetic dump with injected conflicts."""
    dump = folder / f"synth-{count}.ndjson"
    with dump.open("wb") as out:
        subprocess.run(
            [sys.executable, "-m", "benchmarks.synth", str(count), "--conflicts"], stdout=out, check=True
        )
    store = folder / "corpus.duckdb"
    command = [sys.executable, "-c", "from capsule_audit.cli import main; main()"]
    subprocess.run([*command, "index", str(dump), "--store", str(store)], check=True)
    return store


def measure(store: Path, kind: str) -> dict[str, float | int | str]:
    """Rebuild the largest group of `kind` twice: timed, then traced."""
    con = duckdb.connect(str(store), read_only=True)
    con.execute("SET threads = 1")
    con.execute(f"SET memory_limit = {sql_literal(configured_memory_limit())}")
    found = con.execute(_LARGEST, [kind]).fetchone()
    if found is None:
        raise SystemExit(f"no {kind} group in {store}")
    key = found[0]
    if kind == GroupKind.METHOD.value:  # read as its claims' credits (`store.method_scan`)
        source = f"members m SEMI JOIN (SELECT {sql_literal(key)} AS key) w ON m.key = w.key"
        batches = list(cut_credits(con, credit_scan(source, MEMBER_ORDER), "claims"))
        claims = sum(b.members.num_rows for b in batches)  # members: a claim's first is its credit
    else:
        scan = (
            f"SELECT {SCAN_COLUMNS} FROM members m WHERE m.kind = {sql_literal(kind)}"
            f" AND m.key = {sql_literal(key)}{SCAN_ORDER}"
        )
        batches = list(cut(con, scan, "claims", "samples"))
        claims = sum(b.claims.num_rows for b in batches)
    con.close()
    arrow_mb = sum(b.members.nbytes + b.claims.nbytes + b.samples.nbytes for b in batches) / 2**20
    # A batch is rebuilt once (`GroupBatch.take`): the traced rebuild gets boxes of its own.
    again = [GroupBatch(b.members, b.claims, b.samples) for b in batches]
    gc.disable()  # as the group pass rebuilds (`store.gc.gc_paused`)
    start = time.process_time()
    members = sum(g.size for b in batches for g in assemble(b))
    cpu = time.process_time() - start
    tracemalloc.start()
    groups = [g for b in again for g in assemble(b)]
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del groups
    gc.enable()
    return {
        "kind": kind,
        "key": key,
        "members": members,
        "claims": claims,
        "arrow_mb": arrow_mb,
        "cpu_s": cpu,
        "held_mb": held / 2**20,
        "peak_mb": peak / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=100_000)
    parser.add_argument("--kind", default="method", help="group kind (default: method)")
    parser.add_argument("--store", type=Path, help="an existing corpus store instead of a new one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or make_store(args.count, Path(tmp))
        result = measure(store, args.kind)
    print(f"largest {result['kind']} group: {result['key']!r}")
    print(f"members {result['members']:,}, claims {result['claims']:,}, Arrow {result['arrow_mb']:.0f} MiB")
    print(f"rebuild CPU s {result['cpu_s']:.2f}")
    print(f"Python memory held {result['held_mb']:.0f} MiB, peak {result['peak_mb']:.0f} MiB")


if __name__ == "__main__":
    main()
