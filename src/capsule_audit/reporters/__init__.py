"""Reporters: every output format is a pure function `Report -> str`.

`render(report, fmt)` picks one; `write_outputs` writes several in one run (`--json-output F
--sarif-output F ...`), '-' meaning stdout.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO

from capsule_audit.atomic import atomic_writer
from capsule_audit.errors import CapsuleAuditError, UsageError
from capsule_audit.models.report import Report

Renderer = Callable[[Report], str]

# Format to (module, function), imported on first use: jinja2 and the XML writers cost start-up
# time that a run asking for one format should not pay for the others.
_RENDERERS: dict[str, tuple[str, str]] = {
    "text": ("capsule_audit.reporters.text", "render_text"),
    "json": ("capsule_audit.reporters.json_report", "render_json"),
    "sarif": ("capsule_audit.reporters.sarif", "render_sarif"),
    "junit": ("capsule_audit.reporters.junit", "render_junit"),
    "github": ("capsule_audit.reporters.github", "render_github"),
    "markdown": ("capsule_audit.reporters.markdown", "render_markdown"),
    "html": ("capsule_audit.reporters.html", "render_html"),
}

FORMATS: tuple[str, ...] = tuple(_RENDERERS)
"""Every format name `render` accepts, 'text' first (the default for people)."""


def renderer(fmt: str) -> Renderer:
    """The function rendering format `fmt`; CapsuleAuditError for an unknown format."""
    try:
        module, function = _RENDERERS[fmt]
    except KeyError:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    found: Renderer = getattr(importlib.import_module(module), function)
    return found


def render(report: Report, fmt: str) -> str:
    """The report in format `fmt` (one of FORMATS)."""
    return renderer(fmt)(report)


def write_output(text: str, destination: str) -> None:
    """Write rendered output to a file ('-': stdout), creating parent folders.

    A file is replaced whole or not at all (`capsule_audit.atomic`).
    """
    with open_output(destination) as out:
        out.write(text)


@contextmanager
def open_output(destination: str) -> Iterator[TextIO]:
    """A text stream to a file ('-': stdout), for reporters that write as they go.

    The file is replaced only when the block ends normally: an interrupted or failed run leaves
    the previous file as it was. Failing to create or write it is a CapsuleAuditError naming it.
    """
    if destination == "-":
        try:
            yield sys.stdout
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # the reader went away (`| head`): the CLI ends quietly
        except OSError as exc:
            raise CapsuleAuditError(f"cannot write to standard output: {exc.strerror or exc}") from exc
        return
    try:
        with atomic_writer(destination) as handle:
            yield handle
    except OSError as exc:
        raise CapsuleAuditError(f"cannot write {destination}: {exc.strerror or exc}") from exc


def write_outputs(report: Report, outputs: Mapping[str, str | None]) -> None:
    """Render and write every requested format: format name to destination (None: not wanted).

    Formats are rendered before anything is written, so a bad format name writes nothing.
    """
    wanted = [(fmt, dest) for fmt, dest in outputs.items() if dest is not None]
    rendered = [(renderer(fmt)(report), dest) for fmt, dest in wanted]
    for text, dest in rendered:
        write_output(text, dest)


__all__ = ["FORMATS", "Renderer", "open_output", "render", "renderer", "write_output", "write_outputs"]
