"""What a figure measures, as a key CA404 compares: a benchmark, else a metric, with its unit.

"12.3% improvement on MMLU", "improved MMLU accuracy by 7.9%" and "raises accuracy on MMLU by 5%"
state one measure ('mmlu'); "MMLU" and "GSM8K" are two. A measure naming a benchmark is keyed by
the benchmark alone (its generic metric, accuracy or score, adds nothing); one naming none by its
metric, synonyms joined ('GPU memory use' and 'memory usage' are 'memory'), or else by its own
normalized words. The table is `data/measures.yaml`.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

import yaml

_TOKEN = re.compile(r"[a-z0-9]+(?:[.+@][a-z0-9]+)*\+?")
_FILLER = frozenset({"a", "an", "the", "on", "of", "in", "its", "their", "for", "with", "at", "by", "to", "and"})  # fmt: skip


def _tokens(text: str) -> tuple[str, ...]:
    """Lower-case tokens, hyphens and spaces alike, a final plural and a version's '.0' dropped."""
    found = []
    for token in _TOKEN.findall(text.lower().replace("-", " ")):
        token = token.removesuffix(".0") if re.fullmatch(r"\d+\.0", token) else token
        found.append(token)
    return tuple(found)


def _singular(token: str) -> str:
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


@cache
def _tables() -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str]]:
    data = resources.files("capsule_audit.data").joinpath("measures.yaml").read_text("utf-8")
    table = yaml.safe_load(data) or {}
    benchmarks: dict[tuple[str, ...], str] = {}
    for name, aliases in sorted((table.get("benchmarks") or {}).items()):
        for alias in [name, *(aliases or [])]:
            benchmarks.setdefault(_tokens(str(alias)), str(name))
    metrics: dict[tuple[str, ...], str] = {}
    for name, aliases in sorted((table.get("metrics") or {}).items()):
        for alias in [name, *(aliases or [])]:
            metrics.setdefault(tuple(_singular(t) for t in _tokens(str(alias))), str(name))
    return benchmarks, metrics


def benchmark_of(measure: str) -> str | None:
    """The benchmark a measure names, the longest alias first: 'accuracy on mmlu' -> 'mmlu'."""
    benchmarks, _ = _tables()
    tokens = _tokens(measure)
    best: tuple[int, int, str] | None = None
    for alias, name in benchmarks.items():
        size = len(alias)
        for start in range(len(tokens) - size + 1):
            if tokens[start : start + size] == alias and (best is None or (size, -start) > best[:2]):
                best = (size, -start, name)
    return best[2] if best else None


@lru_cache(maxsize=4096)
def measure_key(measure: str) -> str:
    """The comparable key of a measure (see the module docstring); '' for an empty one."""
    benchmark = benchmark_of(measure)
    if benchmark is not None:
        return benchmark
    _, metrics = _tables()
    words = tuple(_singular(t) for t in _tokens(measure) if t not in _FILLER)
    return metrics.get(words, " ".join(words))
