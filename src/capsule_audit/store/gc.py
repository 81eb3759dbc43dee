"""The cyclic garbage collector, held back where the audit makes many objects and no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block (restored afterwards, if it was on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def gc_relaxed(threshold: int = 50_000) -> Iterator[None]:
    """Young-generation collections every `threshold` allocations instead of every 700.

    The streaming pass keeps many objects alive (buffered rows and findings), and with the
    default thresholds the collector walked them again and again: a fifth of the audit's CPU at
    6,000 capsules. Cycles are still collected, just in larger batches.
    """
    before = gc.get_threshold()
    gc.set_threshold(threshold, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
