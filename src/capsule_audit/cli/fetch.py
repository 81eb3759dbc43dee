"""`capsule-audit fetch`: download capsules from Forge Cascade, rate-limited, one file each."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from capsule_audit.cli.app import app
from capsule_audit.errors import UsageError


def _refs(url: str | None, ids: Path | None) -> list[str]:
    refs = [url] if url else []
    if ids is not None:
        try:
            refs.extend(ids.read_text(encoding="utf-8").splitlines())
        except OSError as exc:
            raise UsageError(f"cannot read --ids {ids}: {exc.strerror or exc}") from exc
    if not refs:
        raise UsageError("give a capsule URL or uuid, or --ids FILE")
    return refs


@app.command("fetch")
def fetch_command(
    url: Annotated[str | None, typer.Argument(help="One capsule URL or uuid.")] = None,
    ids: Annotated[
        Path | None, typer.Option("--ids", help="File of capsule uuids or URLs, one a line.")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Directory to save <uuid>.json files in.")] = Path("."),
    min_interval: Annotated[
        float, typer.Option("--min-interval", min=0, help="Seconds between requests.")
    ] = 1.0,
    throttle_delay: Annotated[
        float,
        typer.Option("--throttle-delay", min=0, help="First back-off after Forge's rate-limit answer (s)."),
    ] = 5.0,
    forge_url: Annotated[
        str, typer.Option("--forge-url", help="Forge base URL.")
    ] = "https://forgecascade.org",
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.001, help="Per-request timeout (seconds).")
    ] = 20.0,
    max_retries: Annotated[
        int, typer.Option("--max-retries", min=0, help="Retries after the first attempt.")
    ] = 4,
) -> None:
    """Fetch capsules by URL or uuid and save each as <uuid>.json; exit 1 if any failed."""
    # httpx and the online layer load only when this command runs (start-up time of the others).
    from capsule_audit.online.forge import ForgeFetcher, fetch_many
    from capsule_audit.online.options import OnlineOptions

    options = OnlineOptions(
        forge_base_url=forge_url,
        forge_min_interval=min_interval,
        forge_throttle_delay=throttle_delay,
        timeout=timeout,
        max_retries=max_retries,
    )
    refs = _refs(url, ids)
    fetcher = ForgeFetcher(options)
    try:
        summary = fetch_many(fetcher, refs, out)
    finally:
        fetcher.close()
    for ref, reason in summary.failed:
        typer.echo(f"failed: {ref}: {reason}", err=True)
    typer.echo(f"fetched {len(summary.saved)} capsule(s) into {out}, {len(summary.failed)} failed", err=True)
    if summary.failed:
        raise typer.Exit(1)
