"""Claim extraction speed on seed-like synthetic capsules (capsules/s, one core).

Run: `.venv/bin/python -m benchmarks.bench_claims [COUNT] [ROUNDS]`. Each synthetic capsule is a
seed capsule with its identifiers, figures and acronyms varied, so that nothing is served from a
cache. Rates are reported by process CPU time (steady on a loaded machine) and by wall time; with
several rounds, the best round of each is kept.
Target (issue 3): at least 5,000 capsules/s.
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

import orjson

from capsule_audit.claims import extract
from capsule_audit.models import CapsuleRecord, SourceRef

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def synthetic_records(count: int, seed: int = 7) -> list[CapsuleRecord]:
    """`count` capsules derived from the four JSON seeds, deterministically varied."""
    rng = random.Random(seed)
    bases = [orjson.loads(path.read_bytes()) for path in sorted(SEEDS.glob("00[0-3]_*.txt"))]
    records: list[CapsuleRecord] = []
    for index in range(count):
        base = bases[index % len(bases)]
        text = re.sub(
            r"\d{4}\.\d{5}", lambda _: f"26{rng.randint(1, 12):02d}.{rng.randint(1, 30000):05d}", base["text"]
        )
        text = re.sub(r"\b\d{2}%", lambda _: f"{rng.randint(5, 95)}%", text)
        records.append(
            CapsuleRecord(
                id=f"https://forgecascade.org/public/capsules/bench-{index}",
                name=base["name"],
                text=text,
                source=SourceRef(path="bench", index=index),
            )
        )
    return records


def main(count: int = 4000, rounds: int = 1) -> float:
    """Extract from `count` synthetic capsules; print and return capsules per CPU second."""
    records = synthetic_records(count)
    extract(records[0])  # warm up: compiled patterns, the institutions table
    best_cpu = best_wall = float("inf")
    claims = 0
    for _ in range(max(1, rounds)):
        cpu_started, wall_started = time.process_time(), time.perf_counter()
        claims = sum(len(extract(record).claims) for record in records)
        best_cpu = min(best_cpu, time.process_time() - cpu_started)
        best_wall = min(best_wall, time.perf_counter() - wall_started)
    cpu_rate, wall_rate = count / best_cpu, count / best_wall
    print(
        f"claims: {count} capsules, {claims} claims; "
        f"CPU {best_cpu:.3f} s: {cpu_rate:,.0f} capsules/s; wall {best_wall:.3f} s: {wall_rate:,.0f} capsules/s"
    )
    return cpu_rate


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
