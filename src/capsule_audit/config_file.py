"""Read the configuration file: `capsule-audit.toml`, or `[tool.capsule-audit]` in pyproject.toml.

capsule-audit.toml holds the keys at its top level or under `[tool.capsule-audit]`, as pyproject does.

Discovery walks from the working directory up to the filesystem root; in each directory a
`capsule-audit.toml` wins over a `pyproject.toml`, and a pyproject.toml without a
`[tool.capsule-audit]` table is passed over. `--config FILE` names the file instead.

Keys (kebab-case or snake_case): select, ignore, severity (rule -> level), thresholds
(`"CA103.threshold" = 90`), suppressions (tables with rule, capsule, key, reason), fail-on,
jobs, limits (table), exclude (globs not read from folders), follow-links. An unknown key, an
unknown rule, or a bad value is a ConfigError (exit 2).
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from capsule_audit.config import AuditConfig
from capsule_audit.errors import ConfigError
from capsule_audit.rules.base import Rule
from capsule_audit.rules.registry import BUILTIN_RULES
from capsule_audit.rules.selection import check_selectors

CONFIG_NAME = "capsule-audit.toml"
TABLE = "capsule-audit"
KEYS = frozenset(
    {
        "select",
        "ignore",
        "severity",
        "thresholds",
        "suppressions",
        "fail_on",
        "jobs",
        "limits",
        "exclude",
        "follow_links",
    }
)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc


def _table(path: Path, data: Mapping[str, Any]) -> dict[str, Any] | None:
    """The capsule-audit settings in a parsed file: its top level, or pyproject's tool table.

    capsule-audit.toml takes either spelling: top-level keys, or the `[tool.capsule-audit]`
    table pasted from pyproject.toml (the README's example), but not both at once.
    """
    if path.name != "pyproject.toml":
        tool = data.get("tool")
        if not (isinstance(tool, dict) and TABLE in tool):
            return dict(data)
        if set(data) != {"tool"} or set(tool) != {TABLE}:
            raise ConfigError(f"{path}: use top-level keys or one [tool.{TABLE}] table, not both")
    tool = data.get("tool", {})
    table = tool.get(TABLE) if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.{TABLE}] must be a table")
    return table


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above `start`, or None."""
    for folder in (start.resolve(), *start.resolve().parents):
        own = folder / CONFIG_NAME
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _table(pyproject, _read_toml(pyproject)) is not None:
            return pyproject
    return None


def read_settings(path: Path) -> dict[str, Any]:
    """The settings table of one file, keys in snake_case, unknown keys refused."""
    table = _table(path, _read_toml(path))
    if table is None:
        raise ConfigError(f"{path} has no [tool.{TABLE}] table")
    settings = {key.replace("-", "_"): value for key, value in table.items()}
    unknown = sorted(set(settings) - KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown configuration key(s): {', '.join(unknown)}")
    return settings


def validate_rules(config: AuditConfig, rules: Sequence[Rule] = BUILTIN_RULES) -> None:
    """Every rule a setting names must exist: a typo must fail, not silently select nothing."""
    names = [*config.select, *config.ignore, *config.severity, *(s.rule for s in config.suppressions)]
    check_selectors(names, rules)
    check_thresholds(config.thresholds, rules)


def check_thresholds(thresholds: Mapping[str, float], rules: Sequence[Rule] = BUILTIN_RULES) -> None:
    """Each `thresholds` key must be an option a rule declares ("CA303.tolerance_days"), its value
    of the declared kind and bounds; a misspelt one is refused with the nearest declared key."""
    declared = {f"{r.code}.{o.name}": o for r in rules for o in r.options}
    for key, value in thresholds.items():
        option = declared.get(key)
        if option is None:
            code, _, name = key.partition(".")
            owner = next((r for r in rules if code.upper() == r.code or code == r.name), None)
            guess = f"{owner.code}.{name}" if owner is not None else key
            near = difflib.get_close_matches(guess, declared, n=1, cutoff=0.6)
            hint = f"; did you mean {near[0]}?" if near else f"; options: {', '.join(sorted(declared))}"
            raise ConfigError(f"thresholds: unknown rule option {key!r}{hint}")
        if option.kind == "integer" and value != int(value):
            raise ConfigError(f"thresholds: {key} must be an integer, not {value:g}")
        if value < option.minimum or (option.maximum is not None and value > option.maximum):
            raise ConfigError(
                f"thresholds: {key} = {value:g} is out of range ({option.describe(key.split('.')[0])})"
            )


def load_config(
    path: Path | None = None,
    *,
    cwd: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    rules: Sequence[Rule] = BUILTIN_RULES,
) -> AuditConfig:
    """The configuration: file settings (`path`, else discovered from `cwd`), then `overrides`.

    `overrides` are command-line values (snake_case keys); a None value means "not given".
    """
    source = path if path is not None else find_config(cwd or Path.cwd())
    if path is not None and not path.is_file():
        raise ConfigError(f"configuration file not found: {path}")
    settings = read_settings(source) if source is not None else {}
    for key, value in (overrides or {}).items():
        if value is not None:
            settings[key] = value
    for key in ("select", "ignore", "exclude"):
        if isinstance(settings.get(key), str):
            settings[key] = [settings[key]]
    try:
        config = AuditConfig.model_validate(settings)
    except ValidationError as exc:
        where = source or "command line"
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"invalid configuration in {where}: {problems}") from exc
    validate_rules(config, rules)
    return config
