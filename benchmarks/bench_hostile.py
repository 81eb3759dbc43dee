"""The whole `capsule-audit audit` on the offline inputs of issue 14 that once cost quadratic time.

Run: `.venv/bin/python -m benchmarks.bench_hostile [N]` (default 10,000). Each input is written to
a temporary folder and audited by `capsule-audit audit` in a child process (the whole process:
start-up, load, extraction, every rule, the text report); wall and CPU seconds are printed per
input. Cases: a digest of N "Method NumberK (MNAK)" bullets (issue 14: 10,000 took 48 s), a digest
of N bullets each citing its own arXiv paper, and a capsule of N sentences each citing its own.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson


def _link(i: int) -> str:
    return f"[arXiv:2601.{i:05d}](https://arxiv.org/abs/2601.{i:05d})"


def method_bullets(n: int) -> str:
    """A digest of `n` bullets, each naming its own method: 'Method NumberK (MNAK): ...'."""
    return "Digest title\n\n" + "".join(
        f"• Method Number{i} (MNA{i}): it improves results by {i} points.\n" for i in range(n)
    )


def citing_bullets(n: int) -> str:
    """A digest of `n` bullets, each citing its own paper."""
    return "Digest title\n\n" + "".join(f"• Result {i} holds ({_link(i)}).\n" for i in range(n))


def citing_capsule(n: int) -> str:
    """A capsule of `n` sentences outside any method item, each citing its own paper."""
    text = "## Key Findings\n\n" + " ".join(f"Result {i} holds {_link(i)}." for i in range(n))
    capsule = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": "https://forgecascade.org/public/capsules/11111111-2222-4333-8444-555555555555",
        "name": "Hostile",
        "text": text,
    }
    return orjson.dumps(capsule).decode()


CASES: dict[str, tuple[Callable[[int], str], str]] = {
    "digest, N 'Name (ACR)' bullets": (method_bullets, "md"),
    "digest, N bullets citing their own paper": (citing_bullets, "md"),
    "capsule, N sentences citing their own paper": (citing_capsule, "json"),
}


def audit_seconds(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of `capsule-audit audit PATH` in a child process."""
    executable = Path(sys.executable).with_name("capsule-audit")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([str(executable), "audit", str(path)], capture_output=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"audit failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(count: int = 10_000) -> None:
    """Audit each case at `count`; print its size, wall and CPU seconds."""
    with tempfile.TemporaryDirectory() as folder:
        for name, (build, suffix) in CASES.items():
            path = Path(folder) / f"input.{suffix}"
            path.write_text(build(count), encoding="utf-8")
            wall, cpu = audit_seconds(path)
            size = path.stat().st_size / 1024
            print(
                f"{name.replace('N', f'{count:,}', 1)}: {size:,.0f} KiB, wall {wall:.2f} s, CPU {cpu:.2f} s",
                flush=True,
            )


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
