"""What every command that reads folders is told about them, defined once: `--config`,
`--exclude`, `--follow-links`, and how they meet the configuration file.

`audit`, `normalize`, `claims` and `index` take these options and read their inputs through the
same walk (`loading.walk.Walk`, by way of `normalize.iter_records`), so a folder gives the same
files to each of them: the configuration file's `exclude`, `follow-links` and `limits` apply to
all four, `--exclude` adds to the file's globs and `--follow-links` turns following on.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from capsule_audit.config import AuditConfig
from capsule_audit.config_file import load_config

ConfigFile = Annotated[
    Path | None, typer.Option("--config", help="Configuration file (default: discovered).")
]
Exclude = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        help="Glob of files or folders not read from folders, by name or relative path (repeatable; "
        "adds to the configuration's; .git, .hg, .svn always).",
    ),
]
FollowLinks = Annotated[
    bool, typer.Option("--follow-links", help="Follow symbolic links that lead out of the folders given.")
]


def folder_overrides(exclude: list[str] | None, follow_links: bool) -> dict[str, Any]:
    """The command-line values of the folder options, None where not given."""
    return {"exclude": exclude, "follow_links": follow_links or None}


def load_for_folders(config_path: Path | None, overrides: Mapping[str, Any]) -> AuditConfig:
    """The configuration (file, then `overrides`), with `overrides["exclude"]` added to the
    file's globs rather than replacing them: a flag narrows a walk the file already narrows."""
    extra = tuple(overrides.get("exclude") or ())
    config = load_config(config_path, overrides={**overrides, "exclude": None})
    if extra:
        config = config.model_copy(update={"exclude": (*config.exclude, *extra)})
    return config
