"""Building the output models without re-validating values extraction already made valid.

Extraction creates about a hundred small frozen models per capsule; validating each one cost more
than all the parsing. Every value built here already has the exact type validation would give
(tuples, floats, `Binding` members, `date`s, non-negative offsets), so the result equals the
validated model: tests re-validate `model_dump()` output and compare. Values are passed for
every field, in declaration order, so `repr` and dumps are the same too.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

from capsule_audit.models.claims import Binding, Citation, CitationScheme, Figure, MethodRef, Span

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
# The slot and `__dict__` descriptors of `BaseModel`, called directly: a quarter cheaper than
# `object.__setattr__`, which looks each of them up again on every call.
_SET_DICT = BaseModel.__dict__["__dict__"].__set__
_SET_FIELDS_SET = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_SET_EXTRA = BaseModel.__dict__["__pydantic_extra__"].__set__
_SET_PRIVATE = BaseModel.__dict__["__pydantic_private__"].__set__
# One fields-set per class, shared by its instances: building a fresh set per model cost a third
# of `make`. Safe for these frozen models: pydantic only adds to the set on attribute assignment
# (refused when frozen), and `model_copy` copies it before updating.
_FIELDS_SET: dict[type[BaseModel], set[str]] = {}
_SPAN_FIELDS = _FIELDS_SET[Span] = set(Span.model_fields)


def make(cls: type[M], values: dict[str, Any]) -> M:
    """`cls` holding `values` (all fields, already of their validated types); no validation.

    What `model_construct` does, without its per-field alias and default handling.
    """
    try:
        fields_set = _FIELDS_SET[cls]
    except KeyError:  # once per class
        fields_set = _FIELDS_SET[cls] = set(cls.model_fields)
    model = _new(cls)
    _SET_DICT(model, values)
    _SET_FIELDS_SET(model, fields_set)
    _SET_EXTRA(model, None)
    _SET_PRIVATE(model, None)
    return model


def replace(model: M, **changes: Any) -> M:
    """A copy of `model` with some fields changed: `model_copy(update=...)` at a third of the cost."""
    values = dict(model.__dict__)
    values.update(changes)
    return make(type(model), values)


def span(start: int, end: int) -> Span:
    """A `Span`; negative offsets fail as validation would (extraction then yields nothing)."""
    if start < 0 or end < 0:
        raise ValueError(f"negative span offset: {start}, {end}")
    # `make`, inlined: a capsule has dozens of spans, and a call frame costs as much as the rest.
    model = _new(Span)
    _SET_DICT(model, {"start": start, "end": end})
    _SET_FIELDS_SET(model, _SPAN_FIELDS)
    _SET_EXTRA(model, None)
    _SET_PRIVATE(model, None)
    return model


def citation(
    scheme: CitationScheme,
    key: str,
    raw: str,
    *,
    span: Span | None = None,
    version: str | None = None,
    venue: str | None = None,
    stated_date: date | None = None,
    binding: Binding = Binding.EXPLICIT,
    confidence: float = 1.0,
    truncated: bool = False,
) -> Citation:
    """A `Citation` with its defaults, as `Citation(...)` would give it."""
    return make(
        Citation,
        {
            "scheme": scheme,
            "key": key,
            "raw": raw,
            "span": span,
            "version": version,
            "venue": venue,
            "stated_date": stated_date,
            "binding": binding,
            "confidence": confidence,
            "truncated": truncated,
        },
    )


def figure(
    value: float, unit: str, raw: str, measure: str | None, direction: str | None, where: Span
) -> Figure:
    """A `Figure`; `value` is a float and `direction` 'higher', 'lower' or None."""
    return make(
        Figure,
        {"value": value, "unit": unit, "raw": raw, "measure": measure, "direction": direction, "span": where},
    )


def method_ref(name: str | None, acronym: str | None) -> MethodRef:
    """A `MethodRef`."""
    return make(MethodRef, {"name": name, "acronym": acronym})
