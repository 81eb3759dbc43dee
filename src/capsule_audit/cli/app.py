"""The typer application every command module registers on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import typer

from capsule_audit import __version__
from capsule_audit.cli.metavars import HumanCommand, HumanGroup

Command = TypeVar("Command", bound=Callable[..., Any])


class _App(typer.Typer):
    """Commands are built as `HumanCommand`s: `--help` shows `FILE`, `RULES`, not Python types."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Command], Command]:
        kwargs.setdefault("cls", HumanCommand)
        register: Callable[[Command], Command] = super().command(*args, **kwargs)
        return register


def _version(value: bool) -> None:
    if value:
        typer.echo(f"capsule-audit {__version__}")
        raise typer.Exit(0)


app = _App(
    name="capsule-audit",
    cls=HumanGroup,
    help="Audit dumps of Forge Cascade research capsules: normalize, extract claims, cross-check, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """capsule-audit: find invented, contradictory and cut-off research capsules."""
