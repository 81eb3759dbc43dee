"""Progress on stderr for `capsule-audit audit`: documents read, then online lookups.

One rich display with two tasks (rich allows one live display at a time): the lookups bar
appears when verification starts. Only when stderr is a terminal; otherwise no callbacks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from capsule_audit.api import Progress
from capsule_audit.cli.online_options import LookupProgress

if TYPE_CHECKING:
    from rich.progress import TaskID


@dataclass
class Bars:
    """The progress callbacks: documents read, and online lookups (a second bar, when they start)."""

    documents: Progress | None = None
    lookups: LookupProgress | None = None


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Bars]:
    """Progress on stderr, or no callbacks. No refresh thread: workers fork while it runs."""
    if not enabled:
        yield Bars()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as RichProgress

    bar = RichProgress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        auto_refresh=False,
        transient=True,
    )
    with bar:
        task = bar.add_task("documents", total=None)
        lookups: list[TaskID] = []

        def advance(done: int) -> None:
            bar.update(task, completed=done)
            bar.refresh()

        def looked_up(done: int, total: int) -> None:
            if not lookups:
                lookups.append(bar.add_task("lookups", total=total))
            bar.update(lookups[0], completed=done, total=total)
            bar.refresh()

        yield Bars(advance, looked_up)
