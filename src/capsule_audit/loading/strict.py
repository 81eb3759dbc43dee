"""The slow, exact JSON parse: the stdlib parser with hooks, for the few units orjson cannot judge.

orjson rejects NaN/Infinity, turns integers beyond 64 bits into floats and keeps the last of
duplicate keys without telling. This path re-parses such a unit with `json.loads`, keeping object
members as pairs, and walks the result in document order to name the first problem and its JSON
pointer. It runs only on units the fast path flagged, so its speed does not matter.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Literal

from capsule_audit.config import Limits
from capsule_audit.loading.rejects import escape_pointer

__all__ = ["Problem", "strict_parse"]


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a unit is rejected: CA001 (not JSON, not UTF-8) or CA005 (over a limit)."""

    code: Literal["CA001", "CA005"]
    message: str
    pointer: str = ""
    line: int | None = None
    """1-based line within the unit, for parse errors."""
    column: int | None = None


class _Pairs(list[tuple[str, object]]):
    """An object's members in document order, duplicates kept."""


@dataclass(frozen=True, slots=True)
class _Bad:
    """A literal the hooks refused, found again by the walk to give its pointer."""

    message: str


class _Found(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _parse_int(limits: Limits) -> object:
    def parse(text: str) -> object:
        digits = len(text) - (text[0] == "-")
        if digits > limits.max_int_digits:
            return _Bad(f"integer of {digits} digits (limit {limits.max_int_digits})")
        try:
            return int(text)
        except ValueError:  # beyond the interpreter's own int-string limit
            return _Bad(f"integer of {digits} digits is too long to convert")

    return parse


def _parse_float(text: str) -> object:
    value = float(text)
    return _Bad(f"number {text[:40]} overflows to infinity") if math.isinf(value) else value


def _parse_constant(name: str) -> object:
    return _Bad(f"{name} is not a JSON number")


def _convert(node: object, path: list[str], depth: int, limits: Limits) -> object:
    """Pairs to dicts, in document order, raising _Found at the first problem."""
    if isinstance(node, _Bad):
        raise _Found(Problem("CA005", node.message, "".join(path)))
    if not isinstance(node, list):
        return node
    if depth > limits.max_depth:
        raise _Found(Problem("CA005", f"nesting deeper than {limits.max_depth} levels", "".join(path)))
    if isinstance(node, _Pairs):
        result: dict[str, object] = {}
        for key, value in node:
            path.append("/" + escape_pointer(key))
            if key in result:
                raise _Found(Problem("CA005", f"duplicate key {key!r}", "".join(path)))
            result[key] = _convert(value, path, depth + 1, limits)
            path.pop()
        return result
    items: list[object] = []
    for index, value in enumerate(node):
        path.append(f"/{index}")
        items.append(_convert(value, path, depth + 1, limits))
        path.pop()
    return items


def strict_parse(raw: bytes, limits: Limits) -> tuple[object, Problem | None]:
    """Parse exactly; return the value, or the first problem (the value is then None)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, Problem("CA001", f"invalid encoding: not UTF-8 at byte {exc.start}")
    try:
        parsed = json.loads(
            text,
            object_pairs_hook=_Pairs,
            parse_int=_parse_int(limits),  # type: ignore[arg-type]
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except json.JSONDecodeError as exc:
        return None, Problem("CA001", f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno)
    except RecursionError:
        return None, Problem("CA005", f"nesting deeper than {limits.max_depth} levels")
    try:
        return _convert(parsed, [], 1, limits), None
    except _Found as found:
        return None, found.problem
    except RecursionError:
        return None, Problem("CA005", f"nesting deeper than {limits.max_depth} levels")
