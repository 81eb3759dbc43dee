"""`capsule-audit index PATHS --store corpus.duckdb`: file a corpus for CI audits of new batches.

Creates the store when it does not exist, else adds the documents to it (a capsule already
held is replaced by its new version). Only the input rules (CA0xx) run: a rejected document
is reported, and not filed. One transaction: an interruption leaves the store as it was.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from capsule_audit.api import audit_stream
from capsule_audit.cli.app import app
from capsule_audit.config_file import load_config
from capsule_audit.errors import CapsuleAuditError
from capsule_audit.store import corpus


@app.command("index")
def index_command(
    paths: Annotated[list[str], typer.Argument(help="Files or folders of capsules.")],
    store: Annotated[Path, typer.Option("--store", help="The corpus store (a DuckDB file).")],
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Configuration file.")] = None,
) -> None:
    """Index capsules into a corpus store, for `capsule-audit audit BATCH --store STORE`."""
    try:
        settings = load_config(config, overrides={"select": ["CA0"], "jobs": jobs or os.cpu_count() or 1})
        if not store.exists():
            corpus.create(store)
        with audit_stream(paths, settings, keep_claims=False, corpus=store, update=True) as result:
            s = result.summary
            rejected = [f for f in result.findings if f.rule.startswith("CA0")]
        for finding in rejected:
            typer.echo(f"{finding.location.file}: {finding.rule} {finding.message}", err=True)
        typer.echo(f"indexed {s.capsules + s.digests} capsules into {store} ({s.rejected} rejected)")
    except CapsuleAuditError as exc:
        typer.echo(f"capsule-audit: error: {exc}", err=True)
        raise typer.Exit(2) from None
