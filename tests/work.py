"""Counted work: how many Python and C function calls a call makes (`sys.setprofile` events).

Tests compare inputs of size n and 8n by this count, never by wall time: linear work grows about
8 times, quadratic work about 64 times. It sees every Python-level loop that calls anything
(the re-hashing, the per-system scans) but not the steps of one regex inside the C engine.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

LINEAR = 12.0
"""Largest work ratio accepted for 8 times the input: linear plus slack, far below 64."""


def calls(run: Callable[[], Any]) -> int:
    """Function calls (Python and C) made while `run()` runs."""
    count = 0

    def profile(frame: FrameType, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(previous)
    return count


def growth(make: Callable[[int], Callable[[], Any]], n: int) -> float:
    """Work for input size 8n over work for size n (after a warm-up run: caches, imports)."""
    calls(make(n))
    return calls(make(8 * n)) / calls(make(n))
