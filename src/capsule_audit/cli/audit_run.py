"""What `capsule-audit audit` does once its options are parsed (`run_audit`): configure, audit,
write each report from the store as it is read, and work out the exit code."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import typer

from capsule_audit.api import audit_stream
from capsule_audit.baseline import exit_code_of
from capsule_audit.cli import online_options as flags
from capsule_audit.cli.ci_options import CiOptions, check_focus, narrowed
from capsule_audit.cli.folder_options import load_for_folders
from capsule_audit.cli.online_options import OnlineFlags, make_verifier, summary, url_fetcher
from capsule_audit.cli.progress import progress_bar
from capsule_audit.errors import UsageError
from capsule_audit.reporters import FORMATS
from capsule_audit.reporters.streamed import write_streamed
from capsule_audit.store.narrowed import Narrowed
from capsule_audit.store.result import AuditResult

RECORD_FORMATS = frozenset({"json", "html"})
"""Formats that show the normalized records; the others do not keep them in memory."""
CLAIM_FORMATS = frozenset({"json"})
"""Formats that list the claims (the HTML page shows only their count, as every format does)."""


def run_audit(
    paths: list[str],
    *,
    fmt: str,
    output: str,
    overrides: dict[str, Any],
    config_path: Path | None,
    records: bool | None,
    ci: CiOptions | None = None,
    online: OnlineFlags | None = None,
    store: Path | None = None,
    update: bool = False,
) -> int:
    """Everything `audit` does after parsing its options; returns the exit code."""
    if update and store is None:
        raise UsageError("--update needs --store (the corpus to add the batch to)")
    online = online or OnlineFlags()
    online.check(paths)
    if online.enabled:
        overrides = {**overrides, "online": True}
    config = load_for_folders(config_path, overrides)  # --exclude adds to the configuration's globs
    if "jobs" not in config.model_fields_set:  # neither flag nor file: every core
        config = config.model_copy(update={"jobs": os.cpu_count() or 1})
    ci = ci or CiOptions()
    if not output:
        raise UsageError("--output is empty: give a file, or '-' for stdout")
    check_focus(ci.focus, paths)
    for option in ci.empty_outputs():  # e.g. "$GITHUB_STEP_SUMMARY" unset outside GitHub Actions
        typer.echo(f"capsule-audit: warning: {option} is empty (an unset variable?): not written", err=True)
    formats = {fmt, *ci.formats()}
    unknown = sorted(formats - set(FORMATS))
    if unknown:  # before the audit: nothing is written
        raise UsageError(f"unknown format {unknown[0]!r}; choose one of {', '.join(FORMATS)}")
    keep = records if records is not None else bool(RECORD_FORMATS & formats)
    stdin = sys.stdin.buffer if "-" in paths else None
    with progress_bar(sys.stderr.isatty()) as bars, url_fetcher(online, paths) as fetch_url:
        verify = make_verifier(online.options(), bars.lookups) if online.enabled else None
        result = audit_stream(
            paths,
            config,
            stdin=stdin,
            keep_records=keep,
            keep_claims=bool(CLAIM_FORMATS & formats),
            verify=verify,
            fetch_url=fetch_url,
            progress=bars.documents,
            corpus=store,
            update=update,
        )
    with result:
        if online.enabled:
            typer.echo(summary(result.verdicts), err=True)
            warning = flags.unchecked_warning(tuple(result.verdicts))
            if warning:
                typer.echo(warning, err=True)
        if result.summary.documents == 0:  # an empty folder or a wrong glob should not pass silently
            typer.echo(f"capsule-audit: warning: no documents found in {' '.join(paths)}", err=True)
        source = narrowed(result, ci)
        _write_outputs(source, [*ci.extra_outputs(), (fmt, output)])
        code = exit_code_of(source.findings, config.fail_on, exit_zero=ci.exit_zero)
        return online.exit_code(result.verdicts, code, exit_zero=ci.exit_zero)


def _write_outputs(result: AuditResult | Narrowed, outputs: list[tuple[str, str]]) -> None:
    """Each (format, destination) in turn, from the store as it is read, so the report is never
    whole in memory."""
    for fmt, destination in outputs:
        terminal = _terminal(fmt, destination)
        width, color = terminal if terminal is not None else (110, False)
        write_streamed(result, fmt, destination, width=width, color=color)


def _terminal(fmt: str, output: str) -> tuple[int, bool] | None:
    """(width, colour) when the text summary goes to a terminal, else None.

    NO_COLOR (https://no-color.org) turns colour off, as in other command-line tools.
    """
    if fmt == "text" and output == "-" and sys.stdout.isatty():
        return shutil.get_terminal_size((110, 24)).columns, "NO_COLOR" not in os.environ
    return None
