"""A process pool whose results are taken in the order the tasks were given, a bounded number out.

The stream (`pipeline`) and the group pass (`group_pass`) both hand tasks to worker processes
and take the results back in task order, so the output does not depend on `jobs`. At most
`window` tasks are out at once (sent, or done and not yet taken): tasks are read from their
iterator only as results are taken, so a slow consumer never lets results, or the input read
for them, pile up.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from multiprocessing.pool import AsyncResult, Pool
from typing import Any, TypeVar

from capsule_audit import interrupts

T = TypeVar("T")
R = TypeVar("R")


def open_pool(jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> Pool:
    """`jobs` worker processes, each set up by `initializer(*initargs)`, signals left to the main process."""
    # fork: workers inherit the imported modules (fast start); spawn where fork does not exist.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    return context.Pool(jobs, initializer=_initialized, initargs=(initializer, initargs))


def _initialized(initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    # The main process handles an interruption and ends the pool; a forked worker would
    # otherwise inherit its handler and print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    initializer(*initargs)


def in_order(pool: Pool, func: Callable[[T], R], tasks: Iterable[T], window: int) -> Iterator[R]:
    """`func(task)` for each task, run in `pool`, yielded in task order, at most `window` out."""
    pending: deque[AsyncResult[R]] = deque()
    source = iter(tasks)
    while True:
        for task in islice(source, max(window - len(pending), 0)):
            pending.append(pool.apply_async(func, (task,)))
        if not pending:
            return
        yield wait(pending.popleft())


def wait(result: AsyncResult[R]) -> R:
    """A worker's result, waited for in short steps with signals held (`interrupts`): an
    interruption is raised here, between two waits, never inside the pool's own locking."""
    while True:
        with interrupts.deferred():
            try:
                return result.get(timeout=0.2)
            except multiprocessing.TimeoutError:
                continue
