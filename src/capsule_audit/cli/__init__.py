"""The command line: `capsule-audit COMMAND`. Each command lives in its own module of this package.

Exit codes: 0 clean, 1 findings at or above --fail-on (normalize: some documents rejected),
2 usage, configuration or tool error, an environment fault (disk full, closed stream), or a run
interrupted (Ctrl-C, SIGTERM) before its end; 141 when stdout's reader closed the pipe (`| head`).
"""

from __future__ import annotations

import sys
from typing import NoReturn

import duckdb

from capsule_audit import interrupts
from capsule_audit.cli import faults
from capsule_audit.cli.app import app
from capsule_audit.errors import CapsuleAuditError
from capsule_audit.interrupts import Interrupted

# Command modules register themselves on `app` when imported; the list is explicit.
# (one import line per command module below)
from capsule_audit.cli import audit as _audit  # noqa: F401  # isort: skip
from capsule_audit.cli import rules as _rules  # noqa: F401  # isort: skip
from capsule_audit.cli import fetch as _fetch  # noqa: F401  # isort: skip
from capsule_audit.cli import normalize as _normalize  # noqa: F401  # isort: skip
from capsule_audit.cli import schema as _schema  # noqa: F401  # isort: skip
from capsule_audit.cli import claims as _claims  # noqa: F401  # isort: skip
from capsule_audit.cli import diff as _diff  # noqa: F401  # isort: skip
from capsule_audit.cli import index as _index  # noqa: F401  # isort: skip

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry. Usage errors exit 2 (click's standalone mode); a tool error, an
    environment fault, an interruption or an uncaught exception becomes one line on stderr and
    exit code 2, never a traceback; a broken stdout pipe ends the run quietly (exit 141)."""
    interrupts.install()
    faults.replace_closed_streams()
    try:
        app()
    except SystemExit as exc:  # typer exits 1 on a broken pipe, the code that means findings
        if faults.is_broken_pipe(exc.__context__):
            _broken_pipe()
        raise
    except BrokenPipeError:
        _broken_pipe()
    except Interrupted as exc:
        _interrupted(str(exc))
    except Exception as exc:
        _failed(exc)


def _failed(exc: Exception) -> NoReturn:
    """One line and exit 2 for a tool error, an environment fault or a bug; an interruption that
    a library turned into an error of its own (`interrupts.raised_for`) is an interruption."""
    if (name := interrupts.raised_for()) is not None:
        _interrupted(name)
    if isinstance(exc, CapsuleAuditError):
        sys.stderr.write(f"capsule-audit: error: {exc}\n")
    elif isinstance(exc, OSError):  # the environment failed (disk full, permissions): say what and where
        sys.stderr.write(f"capsule-audit: error: {faults.os_error_sentence(exc)}\n")
    elif isinstance(exc, duckdb.Error) and (sentence := faults.store_error_sentence(exc)) is not None:
        sys.stderr.write(f"capsule-audit: error: {sentence}\n")
    else:  # the CLI edge: an uncaught exception is a bug, reported in one line
        _internal_error(exc)
    sys.exit(2)


def _interrupted(name: str) -> NoReturn:
    sys.stderr.write(
        f"capsule-audit: interrupted ({name}); temporary files removed, outputs may be incomplete\n"
    )
    sys.exit(2)


def _internal_error(exc: Exception) -> NoReturn:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    sys.stderr.write(f"capsule-audit: internal error: {type(exc).__name__}: {first}\n")
    sys.exit(2)


def _broken_pipe() -> NoReturn:
    faults.silence_stdout()
    sys.exit(faults.BROKEN_PIPE_EXIT)
