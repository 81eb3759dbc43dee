"""Claim extraction speed on seed-like synthetic capsules (capsules/s, one core).

Run: `.venv/bin/python -m benchmarks.bench_claims [COUNT]`. Each synthetic capsule is a seed
capsule with its identifiers, figures and acronyms varied, so that nothing is served from a cache.
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


def main(count: int = 4000) -> float:
    """Extract from `count` synthetic capsules; print and return capsules per second."""
    records = synthetic_records(count)
    extract(records[0])  # warm up: compiled patterns, the institutions table
    started = time.perf_counter()
    claims = sum(len(extract(record).claims) for record in records)
    elapsed = time.perf_counter() - started
    rate = count / elapsed
    print(f"claims: {count} capsules, {claims} claims in {elapsed:.3f} s: {rate:,.0f} capsules/s")
    return rate


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 4000)
