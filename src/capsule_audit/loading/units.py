"""One document unit's bytes to a JsonDocument, or a CA001/CA005 rejection.

The fast path is orjson plus checks that cost little next to the parse. A unit in canonical
form (byte-equal to orjson's compact output for the parsed value, as Forge exports are) only
needs a bracket count for depth; any other unit gets:

- size: `len(raw)`;
- depth, and the number of object members: one walk over the containers of the parsed tree (scalars are only type-checked);
- duplicate keys: every object key ends with a `"` followed by optional whitespace and `:`, so
  a C-speed count of that pattern in the raw bytes is at least the number of keys written, and
  equals the number of members parsed only if no key was repeated (orjson silently keeps the
  last). The count can over-estimate (a string value ending in `"` before `:`), never
  under-estimate, so a mismatch only sends the unit to the exact slow path;
- big integers: orjson turns integers beyond 64 bits into floats, so any float of that
  magnitude also goes to the slow path, which re-parses with exact integers.

Every orjson failure goes to the slow path too (`strict.py`), which tells invalid JSON (CA001)
from NaN/Infinity, long integers and too-deep nesting (CA005).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import orjson

from capsule_audit.config import Limits
from capsule_audit.loading.documents import Document, JsonDocument
from capsule_audit.loading.rejects import content_identity, over_limit_doc, unreadable_doc
from capsule_audit.loading.strict import Problem, strict_parse
from capsule_audit.models.records import SourceRef

__all__ = ["parse_unit", "unit_too_large"]

_KEY_END = re.compile(rb'"[ \t\r\n]*:')
_FLOAT_FROM_BIG_INT = 9.2e18  # |x| >= 2**63 (roughly): orjson may have rounded an integer


_CANONICAL_MAX = 1 << 20  # re-serializing costs little only for small units
_NOTABLE = frozenset({dict, list, float})


def _shape(node: dict[str, object] | list[object], depth: int, cutoff: int) -> tuple[int, int, bool]:
    """(object members, nesting depth, saw a float that may be a rounded big integer).

    Recursive (faster than an explicit stack here), but never below `cutoff`: past it the unit
    goes to the slow path anyway.
    """
    members = 0
    if isinstance(node, dict):
        members = len(node)
        children: Iterable[object] = node.values()
    else:
        children = node
    deepest = depth
    suspicious = False
    if depth > cutoff:
        return members, depth, suspicious
    for child in children:
        kind = type(child)
        if kind in _NOTABLE:
            if kind is float:
                suspicious = suspicious or abs(child) >= _FLOAT_FROM_BIG_INT  # type: ignore[arg-type]
                continue
            inner, inner_depth, inner_suspicious = _shape(child, depth + 1, cutoff)  # type: ignore[arg-type]
            members += inner
            deepest = max(deepest, inner_depth)
            suspicious = suspicious or inner_suspicious
    return members, deepest, suspicious


def _canonical(value: object, raw: bytes, limits: Limits) -> bool:
    """The unit is exactly orjson's compact form of what was parsed (Forge exports are).

    Then nothing was lost in parsing (a dropped duplicate key or a rounded integer would print
    differently), and the nesting is shallow enough if there are few brackets at all.
    """
    body = raw.rstrip() if raw[-1:].isspace() else raw
    return (
        raw.count(b"{") + raw.count(b"[") <= limits.max_depth
        and len(body) < _CANONICAL_MAX
        and orjson.dumps(value) == body
    )


def unit_too_large(source: SourceRef, size: int, limits: Limits, identity: str) -> Document:
    """CA005 for a unit over `max_document_bytes` (also used by the streaming readers)."""
    message = f"document of {size} bytes is over the limit of {limits.max_document_bytes} bytes"
    return over_limit_doc(source, message, identity=identity)


def parse_unit(raw: bytes, source: SourceRef, limits: Limits, *, column: int = 1) -> Document:
    """Parse one unit; `source.line` and `column` say where its first byte stands in the file."""
    if len(raw) > limits.max_document_bytes:
        return unit_too_large(source, len(raw), limits, content_identity(raw))
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        first = Problem("CA001", f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno)
        return _slow(raw, source, limits, column, first)
    if _canonical(value, raw, limits):
        return JsonDocument(source=source, value=value)
    if isinstance(value, dict | list):
        try:
            members, depth, suspicious = _shape(value, 1, limits.max_depth)
        except RecursionError:  # only with a max_depth near the interpreter's recursion limit
            return _slow(raw, source, limits, column, None)
    else:
        members, depth, suspicious = 0, 0, isinstance(value, float) and abs(value) >= _FLOAT_FROM_BIG_INT
    if suspicious or depth > limits.max_depth or len(_KEY_END.findall(raw)) != members:
        return _slow(raw, source, limits, column, None)
    return JsonDocument(source=source, value=value)


def _encodable(value: object) -> bool:
    """No string in `value` holds a lone surrogate (stdlib json accepts them, UTF-8 cannot)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _slow(raw: bytes, source: SourceRef, limits: Limits, column: int, fast: Problem | None) -> Document:
    value, problem = strict_parse(raw, limits)
    if problem is None:
        if fast is None or _encodable(value):
            return JsonDocument(source=source, value=value)  # e.g. an integer beyond 64 bits
        problem = fast  # a lone surrogate escape: no text can hold it
    message = problem.message
    if problem.line is not None and problem.column is not None:
        line = (source.line or 1) + problem.line - 1
        col = problem.column + column - 1 if problem.line == 1 else problem.column
        # orjson's own wording sometimes ends in "at" ("Unterminated string starting at").
        message = message.removesuffix(" at") + f" at line {line}, column {col}"
    identity = content_identity(raw)
    if problem.code == "CA001":
        return unreadable_doc(source, message, identity=identity)
    return over_limit_doc(source, message, identity=identity, pointer=source.pointer + problem.pointer)
