"""Human metavars in `--help`: `--output FILE`, `--select RULES`, flags bare.

typer shows a parameter's Python annotation as its type (`<bool>`, `<list[str]>`, `<str>`),
which tells a user nothing. Every command of the app is built with `HumanCommand`, which names
each value after what it is (from `METAVARS`, else the parameter's name in capitals), shows
nothing for flags, and leaves typer's list of choices (`<text|json>`) as it is.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup

METAVARS: dict[str, str] = {
    "paths": "PATH",
    "output": "FILE",
    "config": "FILE",
    "baseline": "FILE",
    "write_baseline": "FILE",
    "fmt": "FORMAT",
    "now": "DATE",
    "fail_on": "LEVEL",
    "select": "RULES",
    "ignore": "RULES",
    "jobs": "N",
    "focus": "PATH",
    "exclude": "GLOB",
    "cache_dir": "DIR",
    "out": "DIR",
    "ids": "FILE",
    "mailto": "EMAIL",
    "timeout": "SECONDS",
    "arxiv_min_interval": "SECONDS",
    "min_interval": "SECONDS",
    "throttle_delay": "SECONDS",
    "max_retries": "N",
    "code": "CODE",
    "old": "OLD_REPORT",
    "new": "NEW_REPORT",
}
"""Parameter name to metavar; names ending in `_output` are files, `_url` URLs."""


class _Argument(TyperArgument):
    """An argument whose metavar, shown in the name column, says all: no type column."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def metavar_of(name: str) -> str:
    """The metavar of a value parameter named `name`."""
    if name in METAVARS:
        return METAVARS[name]
    if name.endswith("_output"):
        return "FILE"
    if name.endswith("_url"):
        return "URL"
    return name.upper()


def humanize(param: Any) -> None:
    """Give `param` a human metavar (none shown for a flag) unless it declares its own."""
    if param.metavar is not None or param.name is None:
        return
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None and descriptor.is_choice:
        return  # typer lists the choices: <ndjson|nquads|turtle>
    if isinstance(param, TyperArgument):
        param.metavar = metavar_of(param.name)  # the usage line adds '...' for several
        param.__class__ = _Argument
    elif getattr(param, "is_flag", False):
        param.metavar = ""
    else:
        param.metavar = metavar_of(param.name)


class _HumanParams:
    """Gives every parameter of a command or group, `--help` included, a human metavar."""

    params: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            humanize(param)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.metavar = ""
        return option


class HumanCommand(_HumanParams, TyperCommand):
    """A command whose parameters, `--help` included, have human metavars."""


class HumanGroup(_HumanParams, TyperGroup):
    """The root group: its own options (`--version`, `--help`) get human metavars too."""
