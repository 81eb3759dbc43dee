"""`capsule-audit audit PATH...`: run the audit, write the report, exit 0, 1 or 2.

Exit 1 when some finding is at or above `--fail-on` (default error); 2 on a usage,
configuration or tool error. Machine output goes to stdout or `--output`; the progress bar
(only when stderr is a terminal) and errors go to stderr.
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from capsule_audit.api import audit_stream
from capsule_audit.baseline import exit_code_of
from capsule_audit.cli import online_options as flags
from capsule_audit.cli.app import app
from capsule_audit.cli.ci_options import CiOptions, check_focus, narrowed
from capsule_audit.cli.online_options import OnlineFlags, make_verifier, summary, url_fetcher
from capsule_audit.cli.progress import progress_bar
from capsule_audit.config_file import load_config
from capsule_audit.errors import CapsuleAuditError, UsageError
from capsule_audit.reporters import FORMATS
from capsule_audit.reporters.streamed import write_streamed
from capsule_audit.store.narrowed import Narrowed
from capsule_audit.store.result import AuditResult

RECORD_FORMATS = frozenset({"json", "html"})
"""Formats that show the normalized records; the others do not keep them in memory."""
CLAIM_FORMATS = frozenset({"json"})
"""Formats that list the claims (the HTML page shows only their count, as every format does)."""


def parse_now(value: str | None) -> datetime | None:
    """An ISO 8601 date or datetime; without an offset it is read as UTC."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--now: not an ISO 8601 date or datetime: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def split_rules(values: list[str] | None) -> list[str] | None:
    """`--select CA1,CA401 --select CA5` -> ['CA1', 'CA401', 'CA5']; None when not given."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


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
    extra_excludes = tuple(overrides.get("exclude") or ())
    config = load_config(config_path, overrides={**overrides, "exclude": None})
    if extra_excludes:  # --exclude adds to the configuration's globs
        config = config.model_copy(update={"exclude": (*config.exclude, *extra_excludes)})
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


@app.command("audit")
def audit_command(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, URLs or '-' for stdin.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text, json, sarif, junit, github, markdown, html.")
    ] = "text",
    output: Annotated[str, typer.Option("--output", "-o", help="Write the report here ('-': stdout).")] = "-",
    now: Annotated[
        str | None, typer.Option("--now", help="The audit clock, ISO 8601 (default: the real clock).")
    ] = None,
    fail_on: Annotated[
        str | None, typer.Option("--fail-on", help="error (default), warning, info or never.")
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Rules to run: codes, names, families.")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Rules to skip: codes, names, families.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Configuration file (default: discovered).")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")
    ] = None,
    records: Annotated[
        bool | None,
        typer.Option("--records/--no-records", help="Include the normalized records (default: json, html)."),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when findings fail the run.")
    ] = False,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Fail only on findings absent from this baseline.")
    ] = None,
    write_baseline: Annotated[
        Path | None, typer.Option("--write-baseline", help="Write every finding to this baseline file.")
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            help="Glob of files or folders not read from folders, by name or relative path (repeatable; "
            "adds to the configuration's; .git, .hg, .svn always).",
        ),
    ] = None,
    follow_links: Annotated[
        bool, typer.Option("--follow-links", help="Follow symbolic links that lead out of the folders given.")
    ] = False,
    focus: Annotated[
        list[str] | None,
        typer.Option("--focus", help="Report only findings involving capsules under this path (repeatable)."),
    ] = None,
    json_output: Annotated[
        str | None, typer.Option("--json-output", help="Also write the JSON report here.")
    ] = None,
    sarif_output: Annotated[str | None, typer.Option("--sarif-output", help="Also write SARIF here.")] = None,
    junit_output: Annotated[
        str | None, typer.Option("--junit-output", help="Also write JUnit XML here.")
    ] = None,
    html_output: Annotated[
        str | None, typer.Option("--html-output", help="Also write the HTML report here.")
    ] = None,
    markdown_output: Annotated[
        str | None, typer.Option("--markdown-output", help="Also write the Markdown summary here.")
    ] = None,
    github_output: Annotated[
        str | None, typer.Option("--github-output", help="Also write GitHub annotations here.")
    ] = None,
    online: flags.OnlineFlag = False,
    arxiv_api_url: flags.ArxivUrl = None,
    crossref_api_url: flags.CrossrefUrl = None,
    doi_resolver_url: flags.DoiUrl = None,
    arxiv_min_interval: flags.ArxivInterval = None,
    mailto: flags.Mailto = None,
    cache_dir: flags.CacheDir = None,
    refresh: flags.Refresh = False,
    cache_only: flags.CacheOnly = False,
    timeout: flags.Timeout = None,
    request_deadline: flags.RequestDeadline = None,
    online_budget: flags.OnlineBudget = None,
    require_verified: flags.RequireVerified = False,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="A corpus store (`capsule-audit index`) to check the inputs against."),
    ] = None,
    update: Annotated[
        bool, typer.Option("--update", help="With --store: add the inputs to the corpus after the audit.")
    ] = False,
) -> None:
    """Audit capsules: normalize, extract claims, run every rule, report."""
    try:
        overrides: dict[str, Any] = {
            "now": parse_now(now),
            "fail_on": fail_on,
            "select": split_rules(select),
            "ignore": split_rules(ignore),
            "jobs": jobs,
            "exclude": exclude,
            "follow_links": follow_links or None,
        }
        code = run_audit(
            paths,
            fmt=fmt,
            output=output,
            overrides=overrides,
            config_path=config,
            records=records,
            ci=CiOptions(
                exit_zero=exit_zero,
                baseline=baseline,
                write_baseline=write_baseline,
                focus=tuple(focus or ()),
                outputs={
                    "json": json_output,
                    "sarif": sarif_output,
                    "junit": junit_output,
                    "html": html_output,
                    "markdown": markdown_output,
                    "github": github_output,
                },
            ),
            online=flags.OnlineFlags(
                online=online,
                arxiv_api_url=arxiv_api_url,
                crossref_api_url=crossref_api_url,
                doi_resolver_url=doi_resolver_url,
                arxiv_min_interval=arxiv_min_interval,
                mailto=mailto,
                cache_dir=cache_dir,
                refresh=refresh,
                cache_only=cache_only,
                timeout=timeout,
                request_deadline=request_deadline,
                run_budget=online_budget,
                require_verified=require_verified,
            ),
            store=store,
            update=update,
        )
    except CapsuleAuditError as exc:
        typer.echo(f"capsule-audit: error: {exc}", err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(code)
