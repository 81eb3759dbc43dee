"""Measure keys: one benchmark or metric however a capsule writes it."""

from __future__ import annotations

import pytest

from capsule_audit.identifiers.measures import benchmark_of, measure_key


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("mmlu", "mmlu"),
        ("mmlu accuracy", "mmlu"),
        ("accuracy on mmlu", "mmlu"),
        ("MMLU score", "mmlu"),
        ("gsm8k", "gsm8k"),
        ("GSM-8K accuracy", "gsm8k"),
        ("alpacaeval 2.0", "alpacaeval 2"),
        ("win rate on AlpacaEval 2", "alpacaeval 2"),
        ("mmlu-pro", "mmlu-pro"),
        ("gpu memory use", "memory"),
        ("Memory Usage", "memory"),
        ("training costs", "training cost"),
        ("convergence time", "convergence time"),
        ("", ""),
    ],
)
def test_measure_keys(written: str, key: str) -> None:
    assert measure_key(written) == key


def test_different_benchmarks_are_different_measures() -> None:
    assert measure_key("mmlu") != measure_key("gsm8k") != measure_key("humaneval pass@1")
    assert benchmark_of("memory usage") is None
    assert benchmark_of("accuracy on MMLU-Pro") == "mmlu-pro"  # the longest alias wins
