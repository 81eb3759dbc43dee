"""`capsule-audit claims PATH...`: the extracted claims as NDJSON on stdout.

One claim a line, in record order then text order, as the JSON report lists it (`ClaimEntry`: a
tuple of citations it shares with an earlier claim of its record is named, not copied). Findings
about documents that did not become
records go to stderr, one a line. Exit 0 when every document became a record, 1 when some were
rejected, 2 on a usage or tool error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, BinaryIO

import orjson
import typer

from capsule_audit.claims import extract
from capsule_audit.cli.app import app
from capsule_audit.cli.folder_options import (
    ConfigFile,
    Exclude,
    FollowLinks,
    folder_overrides,
    load_for_folders,
)
from capsule_audit.cli.normalize import finding_line
from capsule_audit.errors import CapsuleAuditError
from capsule_audit.models.claims import Claim
from capsule_audit.models.findings import Finding
from capsule_audit.normalize import iter_records
from capsule_audit.reporters.claim_entries import claim_entries

_FLUSH_EVERY = 1024  # claims per write: one syscall per batch, memory stays flat


def claim_lines(claims: Iterable[Claim]) -> Iterator[bytes]:
    """One NDJSON line per claim of a record: its entry (`reporters.claim_entries`)."""
    for entry in claim_entries(claims):
        yield orjson.dumps(entry) + b"\n"


@app.command("claims")
def claims_command(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, or - for stdin.")],
    config: ConfigFile = None,
    exclude: Exclude = None,
    follow_links: FollowLinks = False,
) -> None:
    """Extract atomic claims, each bound to the identifiers it cites (one JSON object a line)."""
    try:
        settings = load_for_folders(config, folder_overrides(exclude, follow_links))
    except CapsuleAuditError as exc:  # a bad configuration file: exit 2, as `audit` does
        typer.echo(f"capsule-audit: error: {exc}", err=True)
        raise typer.Exit(2) from None
    out: BinaryIO = typer.get_binary_stream("stdout")
    stdin: BinaryIO = typer.get_binary_stream("stdin")
    rejected = 0
    batch: list[bytes] = []
    for unit in iter_records(paths, settings, stdin=stdin):
        if isinstance(unit, Finding):
            rejected += 1
            typer.echo(finding_line(unit), err=True)
            continue
        batch.extend(claim_lines(extract(unit).claims))
        if len(batch) >= _FLUSH_EVERY:
            out.write(b"".join(batch))
            batch.clear()
    out.write(b"".join(batch))
    out.flush()
    if rejected:
        raise typer.Exit(1)
