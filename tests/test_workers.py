"""The pool's window: results in task order, never more slots out than the window holds."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from typing import Any, cast

from hypothesis import given
from hypothesis import strategies as st

from capsule_audit.workers import in_order, spread


class _Done:
    def __init__(self, value: Any) -> None:
        self.value = value

    def get(self, timeout: float | None = None) -> Any:
        return self.value


class _Pool:
    """Runs each task as it is sent and records the order tasks were sent in."""

    def __init__(self) -> None:
        self.sent: list[int] = []

    def apply_async(self, func: Callable[[int], int], args: tuple[int]) -> _Done:
        self.sent.append(args[0])
        return _Done(func(*args))


@given(weights=st.lists(st.sampled_from([1, 1, 1, 3, 4]), max_size=40), window=st.integers(1, 6))
def test_results_come_in_task_order_and_slots_out_stay_within_the_window(
    weights: list[int], window: int
) -> None:
    pool = _Pool()
    results = []
    for result in in_order(
        cast(Any, pool), lambda n: n * 10, range(len(weights)), window, slots=lambda n: weights[n]
    ):
        results.append(result)
        out = pool.sent[len(results) - 1 :]  # sent and not taken before this result
        assert sum(min(weights[n], window) for n in out) <= window or len(out) == 1
    assert results == [n * 10 for n in range(len(weights))]
    assert pool.sent == list(range(len(weights)))


def test_a_heavy_task_waits_for_the_window_instead_of_queueing_behind_busy_workers() -> None:
    weights = [1, 1, 4, 4, 1]
    pool = _Pool()
    taken = []
    for result in in_order(cast(Any, pool), lambda n: n, range(5), 4, slots=lambda n: weights[n]):
        taken.append((result, list(pool.sent)))
    # a heavy task goes out only once the tasks before it are taken, and what follows it waits
    assert taken == [(0, [0, 1]), (1, [0, 1]), (2, [0, 1, 2]), (3, [0, 1, 2, 3]), (4, [0, 1, 2, 3, 4])]


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
