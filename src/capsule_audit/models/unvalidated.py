"""Building frozen models from values that are already valid, without pydantic's validation.

Extraction builds about a hundred small models per capsule, the engine a few findings, and the
spill files rebuild millions when read back; validating each one cost more than the work that
made it. Every caller passes values of exactly the types validation would give, for every field
in declaration order, so the result equals the validated model (tests re-validate dumps and
compare). pydantic is pinned below 3: these are its private slot descriptors.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
# The slot and `__dict__` descriptors of `BaseModel`, called directly: a quarter cheaper than
# `object.__setattr__`, which looks each of them up again on every call.
_SET_DICT = BaseModel.__dict__["__dict__"].__set__
_SET_FIELDS_SET = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_SET_EXTRA = BaseModel.__dict__["__pydantic_extra__"].__set__
_SET_PRIVATE = BaseModel.__dict__["__pydantic_private__"].__set__
# One fields-set per class, shared by its instances: building a fresh set per model cost a third
# of `build`. Safe for frozen models: pydantic only adds to the set on attribute assignment
# (refused when frozen), and `model_copy` copies it before updating.
_ALL_FIELDS: dict[type[BaseModel], set[str]] = {}


def all_fields(cls: type[BaseModel]) -> set[str]:
    """The shared set of every field name of `cls`."""
    found = _ALL_FIELDS.get(cls)
    if found is None:
        found = _ALL_FIELDS[cls] = set(cls.model_fields)
    return found


def build(cls: type[M], values: dict[str, Any], fields_set: set[str] | None = None) -> M:
    """`cls` holding `values` (every field, already of its validated type); no validation.

    `fields_set` is what `model_fields_set` reports (default: every field, as when all are
    passed to the constructor). What `model_construct` does, without its per-field alias and
    default handling.
    """
    if fields_set is None:
        fields_set = _ALL_FIELDS.get(cls) or all_fields(cls)
    model = _new(cls)
    _SET_DICT(model, values)
    _SET_FIELDS_SET(model, fields_set)
    _SET_EXTRA(model, None)
    _SET_PRIVATE(model, None)
    return model
