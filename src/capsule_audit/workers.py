"""A process pool whose results are taken in the order the tasks were given, a bounded number out.

The stream (`pipeline`) and the group pass (`group_pass`) both hand tasks to worker processes
and take the results back in task order, so the output does not depend on `jobs`. At most
`window` tasks run at once (sent and not done) and at most `AHEAD × window` are out (sent, or
done and not yet taken): a task is read from its iterator only when a slot is free, so the
workers never wait for a long first task to be taken, and a slow consumer never lets results,
or the input read for them, pile up past that bound. `spread` is the choice both make: a pool
only for more than one task and more than one job, else the same work in the calling process.
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
W = TypeVar("W")

AHEAD = 4
"""Tasks out (sent and not yet taken, done or not) per slot of the window: how far the workers
may run ahead of the first task out, and so how many results this process may hold."""


def spread(
    tasks: Iterator[T],
    jobs: int,
    window: int,
    *,
    here: Callable[[], Callable[[T], R]],
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
    remote: Callable[[T], W],
    back: Callable[[W], R],
    slots: Callable[[T], int] = lambda _: 1,
) -> Iterator[R]:
    """The result of each task, in task order: `here()`'s function run in this process when
    there is one job or at most one task (no pool started); else `remote(task)` in `jobs`
    worker processes set up by `initializer(*initargs)`, at most `window` slots per job out (a
    task takes `slots(task)`, at most `window`), each result taken back by `back`."""
    head = list(islice(tasks, 2))
    alone = jobs <= 1 or len(head) < 2
    tasks = _taken(head, tasks)
    if alone:
        run = here()
        for task in tasks:
            done = run(task)
            del task  # not held while the result is used and the next task is read
            yield done
        return
    with open_pool(jobs, initializer, initargs) as pool:
        for result in in_order(pool, remote, tasks, window * jobs, slots):
            yield back(result)


def _taken(head: list[T], rest: Iterator[T]) -> Iterator[T]:
    """The tasks of `head`, each let go of as it is taken, then those of `rest`. (`chain(head,
    rest)` held `head` until the end: two batches of the group pass, tens of MB.)"""
    while head:
        yield head.pop(0)
    yield from rest


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


def in_order(
    pool: Pool,
    func: Callable[[T], R],
    tasks: Iterable[T],
    window: int,
    slots: Callable[[T], int] = lambda _: 1,
) -> Iterator[R]:
    """`func(task)` for each task, run in `pool`, yielded in task order, at most `window` slots
    running (sent and not done: a task takes `slots(task)` of them, at most `window`; a task
    alone always goes out) and at most `AHEAD × window` tasks out (sent and not yet taken).

    A task's slots are free once it is done, taken or not: while the first task out runs (a
    giant group's batch), the other workers go on with the tasks after it, and this process
    sends them while it waits. A heavy task taking a job's share of the window is not queued
    behind busy workers while it holds its memory in this process: at most one per job runs.
    """
    pending: deque[tuple[AsyncResult[R], int]] = deque()
    source = iter(tasks)
    held: list[T] = []  # a task read from `source` but not yet sent (its slots not free)
    ahead = AHEAD * window

    def send() -> None:
        # A task is read only when a slot is free and fewer than `ahead` are out: light tasks
        # never pile up in this process.
        running = sum(need for result, need in pending if not result.ready())
        while len(pending) < ahead:
            if not held:
                if running >= window:
                    return
                held.extend(islice(source, 1))
                if not held:
                    return
            need = min(slots(held[0]), window)
            if running and running + need > window:
                return
            pending.append((pool.apply_async(func, (held.pop(),)), need))
            running += need

    while True:
        send()
        if not pending:
            return
        first = pending[0][0]
        while not first.ready():
            with interrupts.deferred():  # an interruption is raised between two waits
                first.wait(0.2)
            send()
        pending.popleft()
        with interrupts.deferred():
            done = first.get()
        del first  # its result is not held by this frame while the consumer runs
        yield done
