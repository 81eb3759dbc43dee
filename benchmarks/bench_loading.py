"""Loading throughput and memory: `python -m benchmarks.bench_loading [N]`.

Writes N seed-like capsules (the seed capsules with a fresh @id each) to temporary files as
NDJSON, gzipped NDJSON and a pretty-printed JSON array, loads each with `iter_documents`, and
prints documents/s (one core) and the peak of traced Python memory while loading NDJSON, which
must not grow with N.
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from pathlib import Path

from capsule_audit.config import Limits
from capsule_audit.loading import JsonDocument, iter_documents

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def _capsules(count: int) -> Iterator[dict[str, object]]:
    """Deterministic capsules cycling over the seed capsules, each with its own @id."""
    seeds = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if text.lstrip().startswith("{"):
            seeds.append(json.loads(text))
    for i in range(count):
        capsule = dict(seeds[i % len(seeds)])
        ident = str(uuid.UUID(int=i))
        capsule["@id"] = f"https://forgecascade.org/public/capsules/{ident}"
        capsule["identifier"] = ident
        yield capsule


def _write(directory: Path, count: int) -> dict[str, Path]:
    ndjson = directory / "dump.jsonl"
    with ndjson.open("w", encoding="utf-8") as out:
        for capsule in _capsules(count):
            out.write(json.dumps(capsule, ensure_ascii=False, separators=(",", ":")) + "\n")
    gz = directory / "dump.jsonl.gz"
    gz.write_bytes(gzip.compress(ndjson.read_bytes(), compresslevel=6))
    array = directory / "dump.json"
    with array.open("w", encoding="utf-8") as out:
        out.write("[\n")
        for i, capsule in enumerate(_capsules(count)):
            out.write((",\n" if i else "") + json.dumps(capsule, ensure_ascii=False, indent=2))
        out.write("\n]\n")
    return {"ndjson": ndjson, "ndjson.gz": gz, "array (pretty)": array}


def _load(path: Path) -> tuple[int, float]:
    start = time.perf_counter()
    loaded = sum(isinstance(doc, JsonDocument) for doc in iter_documents([str(path)], Limits()))
    return loaded, time.perf_counter() - start


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = _write(Path(tmp), count)
        for name, path in files.items():
            loaded, seconds = _load(path)
            size = path.stat().st_size / 2**20
            print(f"{name:15} {loaded:>8} docs  {size:8.1f} MiB  {loaded / seconds:>10,.0f} docs/s")
            if loaded != count:
                raise SystemExit(f"{name}: loaded {loaded} of {count}")
        tracemalloc.start()
        _load(files["ndjson"])
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"peak traced memory while loading NDJSON: {peak / 2**20:.2f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
