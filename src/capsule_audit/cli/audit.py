"""`capsule-audit audit PATH...`: run the audit, write the report, exit 0, 1 or 2.

Exit 1 when some finding is at or above `--fail-on` (default error); 2 on a usage,
configuration or tool error. Machine output goes to stdout or `--output`; the progress bar
(only when stderr is a terminal) and errors go to stderr.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from capsule_audit.cli import online_options as flags
from capsule_audit.cli.app import app
from capsule_audit.cli.audit_run import run_audit
from capsule_audit.cli.ci_options import CiOptions
from capsule_audit.cli.folder_options import (
    ConfigFile,
    Exclude,
    FollowLinks,
    folder_overrides,
)
from capsule_audit.errors import CapsuleAuditError, UsageError


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
    config: ConfigFile = None,
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
    exclude: Exclude = None,
    follow_links: FollowLinks = False,
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
            **folder_overrides(exclude, follow_links),
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
