"""Faults of the environment, not of the tool: said in one plain sentence, never as a traceback.

- A closed standard stream (`<&-`, `>&-`): Python gives None; it is replaced by a stream whose use
  raises `StreamClosedError`, so a run reading `-` or writing to stdout stops with exit code 2 and
  says which stream is closed, and a run that does not use it is not disturbed.
- The reader of stdout went away (`capsule-audit ... | head`): quiet, exit code 141 (128 +
  SIGPIPE, what a shell reports for `grep` in the same place), never 1, which means findings.
- Any other OSError (disk full, permission denied, no such folder): what failed, on which path.
- The audit's store (DuckDB) out of memory or unable to write its spill files: what to change.
"""

from __future__ import annotations

import errno
import io
import os
import re
import sys
import tempfile

import duckdb

from capsule_audit.errors import CapsuleAuditError
from capsule_audit.store.database import MEMORY_LIMIT_VARIABLE, configured_memory_limit

_OUT_OF_MEMORY = re.compile(r"(could not|failed to) (allocate|pin) ")  # also inside a failed commit
_TMPDIR_HINT = f"temporary files go to {tempfile.gettempdir()}; set TMPDIR to move them"

BROKEN_PIPE_EXIT = 141
"""Exit code when stdout's reader closed the pipe before the output was written."""


class StreamClosedError(CapsuleAuditError):
    """Standard input or output was closed when the program started."""


class _ClosedStream(io.RawIOBase):
    """Stands in for a standard stream that was closed before the program started."""

    def __init__(self, which: str) -> None:
        super().__init__()
        self.which = which

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readinto(self, buffer: object) -> int:
        raise StreamClosedError(f"standard {self.which} is closed")

    def write(self, data: object) -> int:
        raise StreamClosedError(f"standard {self.which} is closed")


def replace_closed_streams() -> None:
    """Give a closed stdin or stdout a stand-in that fails clearly when used."""
    if sys.stdin is None:
        sys.stdin = io.TextIOWrapper(io.BufferedReader(_ClosedStream("input")))
    if sys.stdout is None:
        # Unbuffered at the byte level: the failure surfaces at the write, not at exit.
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_ClosedStream("output"), 1), write_through=True)


def silence_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the final flush at exit stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until exit


def is_broken_pipe(exc: BaseException | None) -> bool:
    """Whether `exc` (what made the command line framework exit) is a broken pipe."""
    return isinstance(exc, OSError) and exc.errno == errno.EPIPE


def os_error_sentence(exc: OSError) -> str:
    """'cannot write /out/report.json: No space left on device' and the like."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    where = exc.filename
    sentence = f"{where}: {reason}" if where is not None else f"a system call failed: {reason}"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        sentence += f" ({_TMPDIR_HINT})"
    return sentence


def store_error_sentence(exc: duckdb.Error) -> str | None:
    """One line for a fault of the audit's store that the environment caused, else None (a bug).

    DuckDB's own messages run to several lines of tuning advice for its SQL users; this says
    what a capsule-audit user can change.
    """
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, duckdb.OutOfMemoryException) or _OUT_OF_MEMORY.search(first):
        return (
            f"the audit's store ran out of its {configured_memory_limit()} of memory ({first}); "
            f"set {MEMORY_LIMIT_VARIABLE} to a larger size, e.g. {MEMORY_LIMIT_VARIABLE}=2GB"
        )
    if isinstance(exc, duckdb.IOException):
        return f"the audit's store could not read or write its files ({first}); {_TMPDIR_HINT}"
    return None
