"""The command line: `capsule-audit COMMAND`. Each command lives in its own module of this package.

Exit codes: 0 clean, 1 findings at or above --fail-on (normalize: some documents rejected),
2 usage, configuration or tool error.
"""

from __future__ import annotations

import sys

import typer

from capsule_audit.cli.app import app
from capsule_audit.errors import CapsuleAuditError

# Command modules register themselves on `app` when imported; the list is explicit.
# (one import line per command module below)

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry: run the app, turning any tool error into exit code 2 and one line."""
    try:
        code = app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("capsule-audit: interrupted\n")
        sys.exit(2)
    except CapsuleAuditError as exc:
        sys.stderr.write(f"capsule-audit: error: {exc}\n")
        sys.exit(2)
    except Exception as exc:  # the CLI edge: an uncaught exception is a bug, reported in one line
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(2)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(2)
        sys.stderr.write(f"capsule-audit: internal error: {type(exc).__name__}: {exc}\n")
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
