"""Compact pickling for spill files: pydantic models as (class, field dict), rebuilt unvalidated.

The default pickling of a pydantic model copies its private state through `__getstate__`; a
spill file only ever holds values that were valid when written, so each model is reduced to its
class and field dict and rebuilt without validation (`models.unvalidated`). Models carrying
extra or private state fall back to the default pickling.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from typing import Any, BinaryIO

from pydantic import BaseModel

from capsule_audit.models.unvalidated import build


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> tuple[Callable[..., Any], tuple[Any, ...]] | Any:
        # Called for class instances only (never for str, int, tuple...), so this costs little.
        if isinstance(obj, BaseModel) and obj.__pydantic_extra__ is None and obj.__pydantic_private__ is None:
            cls, fields_set = type(obj), obj.__pydantic_fields_set__
            if len(fields_set) == len(cls.model_fields):
                return build, (cls, obj.__dict__)
            return build, (cls, obj.__dict__, fields_set)
        return NotImplemented


def dump(obj: object, file: BinaryIO) -> None:
    """Append `obj` to `file` (protocol 5, compact model reducers)."""
    _Pickler(file, protocol=5).dump(obj)


def dumps(obj: object) -> bytes:
    """`obj` as bytes (see `dump`)."""
    buffer = io.BytesIO()
    dump(obj, buffer)
    return buffer.getvalue()


def load(file: BinaryIO) -> Any:
    """The next object of `file`; EOFError at its end."""
    return pickle.load(file)


def loads(data: bytes) -> Any:
    """The object `dumps` wrote."""
    return pickle.loads(data)
