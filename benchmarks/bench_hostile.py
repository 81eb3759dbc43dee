"""The whole `capsule-audit audit` on the offline inputs of issue 14 that once cost quadratic time.

Run: `.venv/bin/python -m benchmarks.bench_hostile [N]` (default 10,000). Each input is written to
a temporary folder and audited by `capsule-audit audit` in a child process (the whole process:
start-up, load, extraction, every rule, the text report); wall and CPU seconds are printed per
input, with the child's peak RSS. Cases: a digest of N "Method NumberK (MNAK)" bullets (issue 14:
10,000 took 48 s), digests of N distinct method names sharing a long word ("<w> <w> <w> Learning",
and "Deep Learning <www>", all in one method group), a digest of N bullets each citing its own
arXiv paper, a capsule of N sentences each citing its own, and a capsule whose one method item has
N sentences each citing its own (1,000 took 210 s and 7 GB while every claim inherited the whole
item's citations).
A second argument keeps only the cases whose name contains it: `... bench_hostile 1000 "method item"`.
"""

from __future__ import annotations

import os
import random
import string
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


def _made_up_word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9))).capitalize()


def learning_bullets(n: int) -> str:
    """A digest of `n` bullets naming distinct methods that share a long word:
    '<w> <w> <w> Learning (QkX): ...' (made-up words; issue 14: 142.6M name pairs at 10,000)."""
    rng = random.Random(14)
    return "Digest title\n\n" + "".join(
        f"• {_made_up_word(rng)} {_made_up_word(rng)} {_made_up_word(rng)} Learning (Q{i}X): it improves results.\n"
        for i in range(n)
    )


def deep_learning_bullets(n: int) -> str:
    """A digest of `n` bullets in one method group: 'Deep Learning <www> (DLk): ...', three
    made-up words run together."""
    rng = random.Random(14)
    return "Digest title\n\n" + "".join(
        f"• Deep Learning {_made_up_word(rng)}{_made_up_word(rng).lower()}{_made_up_word(rng).lower()} (DL{i}): "
        "it improves results.\n"
        for i in range(n)
    )


def citing_bullets(n: int) -> str:
    """A digest of `n` bullets, each citing its own paper."""
    return "Digest title\n\n" + "".join(f"• Result {i} holds ({_link(i)}).\n" for i in range(n))


def citing_capsule(n: int) -> str:
    """A capsule of `n` sentences outside any method item, each citing its own paper."""
    return _capsule("## Key Findings\n\n" + " ".join(f"Result {i} holds {_link(i)}." for i in range(n)))


def _capsule(text: str) -> str:
    capsule = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": "https://forgecascade.org/public/capsules/11111111-2222-4333-8444-555555555555",
        "name": "Hostile",
        "text": text,
    }
    return orjson.dumps(capsule).decode()


def citing_method_item(n: int) -> str:
    """A capsule whose one method item has `n` sentences, each citing its own paper, and a Source line."""
    sentences = " ".join(f"Result {i} holds {_link(i)}." for i in range(n))
    text = f"## Methods\n\n1. **Method Alpha (MA)**\n   {sentences}\n   Source: https://example.org/alpha\n"
    return _capsule(text)


def alternating_method_item(n: int) -> str:
    """A capsule whose one method item alternates `n` sentences: one citing its own paper, one
    citing nothing (which inherits every citation of the item)."""
    sentences = " ".join(
        f"Result {i} holds {_link(i)}." if i % 2 == 0 else f"Finding {i} is stated." for i in range(n)
    )
    text = f"## Methods\n\n1. **Method Alpha (MA)**\n   {sentences}\n   Source: https://example.org/alpha\n"
    return _capsule(text)


def sourced_method_item(n: int) -> str:
    """A capsule whose one method item has `n` lines, alternately a sentence citing its own paper
    and a 'Source:' line of its own (the cited sentences share the item's Source lines, one tuple;
    a copy each made 1,000 lines cost 9.2 CPU-s and a 110 MB JSON report)."""
    lines = "".join(
        f"   Result {i} holds {_link(i)}.\n" if i % 2 == 0 else f"   Source: https://example.org/s{i}\n"
        for i in range(n)
    )
    return _capsule(f"## Methods\n\n1. **Method Alpha (MA)**\n{lines}")


def mentioned_method_item(n: int) -> str:
    """A capsule whose one method item cites `n` papers, and `n` sentences outside it naming its
    acronym (each mention is about the item, and inherits its citations)."""
    cited = " ".join(f"Result {i} holds {_link(i)}." for i in range(n))
    mentions = " ".join(f"MA improves task {i}." for i in range(n))
    text = f"## Methods\n\n1. **Method Alpha (MA)**\n   {cited}\n\n## Key Findings\n\n{mentions}\n"
    return _capsule(text)


CASES: dict[str, tuple[Callable[[int], str], str]] = {
    "digest, N 'Name (ACR)' bullets": (method_bullets, "md"),
    "digest, N '<w> <w> <w> Learning (ACR)' bullets": (learning_bullets, "md"),
    "digest, N 'Deep Learning <www> (ACR)' bullets": (deep_learning_bullets, "md"),
    "digest, N bullets citing their own paper": (citing_bullets, "md"),
    "capsule, N sentences citing their own paper": (citing_capsule, "json"),
    "capsule, one method item of N sentences citing their own paper": (citing_method_item, "json"),
    "capsule, one method item of N sentences, every other one citing nothing": (
        alternating_method_item,
        "json",
    ),
    "capsule, one method item of N lines, alternately a cited sentence and a Source line": (
        sourced_method_item,
        "json",
    ),
    "capsule, N acronym mentions of a method item citing N papers": (mentioned_method_item, "json"),
}


def audit_seconds(path: Path) -> tuple[float, float, float]:
    """Wall and CPU seconds and peak RSS (MiB) of `capsule-audit audit PATH` in a child process."""
    executable = Path(sys.executable).with_name("capsule-audit")
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            [str(executable), "audit", str(path)], stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(child.pid, 0)  # this child's own usage, not every child's
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        if child.returncode not in (0, 1):
            errors.seek(0)
            raise SystemExit(f"audit failed ({child.returncode}): {errors.read().decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main(count: int = 10_000, only: str = "") -> None:
    """Audit each case (whose name contains `only`) at `count`; print its size, wall and CPU
    seconds and peak RSS."""
    with tempfile.TemporaryDirectory() as folder:
        for name, (build, suffix) in CASES.items():
            if only not in name:
                continue
            path = Path(folder) / f"input.{suffix}"
            path.write_text(build(count), encoding="utf-8")
            wall, cpu, peak = audit_seconds(path)
            size = path.stat().st_size / 1024
            print(
                f"{name.replace('N', f'{count:,}', 1)}: {size:,.0f} KiB, wall {wall:.2f} s, "
                f"CPU {cpu:.2f} s, peak RSS {peak:,.0f} MiB",
                flush=True,
            )


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]), *sys.argv[2:3])
