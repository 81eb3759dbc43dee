"""Ending a run on Ctrl-C or SIGTERM (a cancelled CI job) so that its temporary files go too.

`install` (the CLI does it) makes both signals raise `Interrupted` in the main thread; the run
unwinds through its `with` blocks, which delete the audit's store and its other files. An exception
raised between two arbitrary bytecodes can land where unwinding cannot repair the state, so the
few such places run `deferred()`: a signal arriving inside is held and raised on the way out.
- creating a temporary directory: `mkdtemp` has made it, its owner is not yet there to delete it;
- waiting on the worker pool: raised inside `multiprocessing`'s own locking, it could leave a lock
  held that terminating the pool then waits for.
Only the first signal counts; a second one while the run unwinds is ignored.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM. Not a KeyboardInterrupt, which click turns into exit code 1 (findings)."""


class _State:
    held = 0  # depth of `deferred` blocks
    pending: str | None = None  # a signal that arrived inside one
    fired = False  # Interrupted was raised: later signals are ignored
    name: str | None = None  # the signal it was raised for


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _State.fired:
        return
    name = signal.Signals(signum).name
    if _State.held:
        _State.pending = _State.pending or name
        return
    _State.fired, _State.name = True, name
    raise Interrupted(name)


def raised_for() -> str | None:
    """The signal `Interrupted` was raised for in this run, if it was. DuckDB runs the signal
    handler inside a query and turns what it raises into an error of its own ('Query
    interrupted'): the CLI still ends such a run as an interruption."""
    return _State.name if _State.fired else None


def install() -> None:
    """Make SIGINT and SIGTERM raise `Interrupted` (call from the main thread)."""
    _State.held, _State.pending, _State.fired, _State.name = 0, None, False, None
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _on_signal)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold a signal arriving inside the block; raise `Interrupted` for it when the block ends."""
    _State.held += 1
    try:
        yield
    finally:
        _State.held -= 1
        if not _State.held and _State.pending is not None:
            name, _State.pending = _State.pending, None
            _State.fired, _State.name = True, name
            raise Interrupted(name)
