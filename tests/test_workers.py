"""The pool's window: results in task order, never more slots out than the window holds."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from typing import Any, cast

from hypothesis import given
from hypothesis import strategies as st

from capsule_audit import workers
from capsule_audit.workers import in_order, spread


class _Job:
    """A task of `_Pool`: done once the pool's clock reaches its end."""

    def __init__(self, pool: _Pool, n: int, value: Any, ends: int) -> None:
        self.pool, self.n, self.value, self.ends = pool, n, value, ends

    def ready(self) -> bool:
        return self.pool.clock >= self.ends

    def wait(self, timeout: float | None = None) -> None:
        self.pool.clock += 1  # every wait lets one tick pass

    def get(self, timeout: float | None = None) -> Any:
        assert self.ready(), "taken before done"
        return self.value


class _Pool:
    """Runs each task for `ticks[n]` of its clock from when it is sent; records what was sent,
    in order, and tells which tasks are still running."""

    def __init__(self, ticks: Callable[[int], int] = lambda _: 0) -> None:
        self.ticks, self.clock = ticks, 0
        self.jobs: list[_Job] = []

    @property
    def sent(self) -> list[int]:
        return [job.n for job in self.jobs]

    def running(self) -> list[int]:
        return [job.n for job in self.jobs if not job.ready()]

    def apply_async(self, func: Callable[[int], int], args: tuple[int]) -> _Job:
        n = args[0]
        self.jobs.append(_Job(self, n, func(n), self.clock + self.ticks(n)))
        return self.jobs[-1]


@given(
    weights=st.lists(st.sampled_from([1, 1, 1, 3, 4]), max_size=40),
    ticks=st.lists(st.integers(0, 5), min_size=40, max_size=40),
    window=st.integers(1, 6),
)
def test_results_come_in_task_order_and_slots_running_stay_within_the_window(
    weights: list[int], ticks: list[int], window: int
) -> None:
    pool = _Pool(lambda n: ticks[n])
    results: list[int] = []
    sends = pool.apply_async

    def checked(func: Callable[[int], int], args: tuple[int]) -> _Job:
        job = sends(func, args)
        running = pool.running()
        # slots of the tasks sent and not done: within the window, or one task alone
        assert sum(min(weights[n], window) for n in running) <= window or running == [args[0]]
        assert len(pool.sent) - len(results) <= workers.AHEAD * window  # out, not yet taken
        return job

    pool.apply_async = checked  # type: ignore[method-assign]
    for result in in_order(
        cast(Any, pool), lambda n: n * 10, range(len(weights)), window, slots=lambda n: weights[n]
    ):
        results.append(result)
    assert results == [n * 10 for n in range(len(weights))]
    assert pool.sent == list(range(len(weights)))


def test_tasks_after_a_long_first_task_go_on_while_it_runs() -> None:
    # The first task (a giant group's batch) runs for 100 ticks, the rest for 1: their slots
    # are free once done, so the other workers are not left idle until the first is taken.
    pool = _Pool(lambda n: 100 if n == 0 else 1)
    first = next(in_order(cast(Any, pool), lambda n: n, range(50), 4))
    assert first == 0
    # sent before the first was taken: all the window's done results it may hold
    assert pool.sent == list(range(4 * workers.AHEAD))


def test_a_heavy_task_waits_for_running_slots_instead_of_queueing_behind_busy_workers() -> None:
    weights = [1, 1, 4, 4, 1]
    pool = _Pool(lambda n: 3)
    taken = []
    for result in in_order(cast(Any, pool), lambda n: n, range(5), 4, slots=lambda n: weights[n]):
        taken.append((result, list(pool.sent)))
    # a heavy task goes out only once the tasks before it are done, and what follows it waits
    assert taken == [
        (0, [0, 1, 2]),  # 2 went out once 0 and 1 were done, before 0 was taken
        (1, [0, 1, 2]),
        (2, [0, 1, 2, 3]),
        (3, [0, 1, 2, 3, 4]),
        (4, [0, 1, 2, 3, 4]),
    ]


class _Task:
    """A task whose life a weak reference can watch."""


def test_a_task_run_in_this_process_is_let_go_of_once_its_result_is_handed_over() -> None:
    # The group pass's tasks are batches of giant groups: one held past its use is memory held.
    made: list[weakref.ref[_Task]] = []

    def watched() -> _Task:
        task = _Task()
        made.append(weakref.ref(task))
        return task

    def tasks() -> Iterator[_Task]:
        for _ in range(5):
            yield watched()  # not held by this frame while suspended

    results = spread(
        tasks(),
        1,
        2,
        here=lambda: lambda task: id(task),
        initializer=lambda: None,
        initargs=(),
        remote=lambda task: id(task),
        back=lambda result: result,
    )
    for n, _ in enumerate(results):
        gc.collect()
        # While result n is in hand, no task is alive but one read ahead and not yet run: the
        # second, read with the first to choose between a pool and this process.
        alive = [i for i, ref in enumerate(made) if ref() is not None]
        assert alive == ([1] if n == 0 else []), (n, alive)
    assert len(made) == 5
