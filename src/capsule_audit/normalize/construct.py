"""Record parts for the direct path, assembled without pydantic validation.

`construct` is `model_construct` minus its per-field loop (a third of its cost): callers pass
every field, in field order, with values already checked to be what validation would keep.
Everything here raises `NotCanonical` where fast.py would (the shapes it accepts are the same),
or where build.py would reject a value (its finding is worded by the node path).
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from capsule_audit.models.records import CapsuleProperties, Thing, TrustTier
from capsule_audit.normalize.build import STRING_PROPERTIES
from capsule_audit.normalize.fast import IRI, NotCanonical, type_names
from capsule_audit.normalize.values import parse_trust_level

__all__ = ["NotCanonical", "construct", "part", "properties", "strings"]

_M = TypeVar("_M", bound=BaseModel)

_PART_KEYS = frozenset(("@type", "name", "url"))
_VALUE_KEYS = frozenset(("@type", "name", "value"))
_SCALARS = frozenset((str, int, float))  # exact types: a bool is not a number here
_STR = frozenset((str,))
_TIERS = tuple(TrustTier.for_level(level).name.lower() for level in range(101))
_THING_SET = frozenset(Thing.model_fields)
_PROPERTY_SET = frozenset(("extra", "trust_tier"))  # always set: the tier is derived by validation
# Parts repeat across capsules (every Forge capsule has the same isPartOf and publisher) and
# Things are immutable values, so equal parts share one instance. Bounded: memory stays flat.
_PARTS: dict[tuple[object, ...], Thing] = {}
_PARTS_MAX = 4096

_new = object.__new__
_setattr = object.__setattr__


def construct(cls: type[_M], values: dict[str, Any], fields_set: set[str]) -> _M:
    """A `cls` holding `values` (every field, in field order) as validation would have set them.

    `fields_set` (the fields given, as `model_fields_set` reports them) is kept, not copied.
    """
    model = _new(cls)
    _setattr(model, "__dict__", values)
    _setattr(model, "__pydantic_fields_set__", fields_set)
    _setattr(model, "__pydantic_extra__", None)
    _setattr(model, "__pydantic_private__", None)
    return model


def strings(value: object) -> tuple[str, ...]:
    """A string or list of strings (keywords), repeats dropped as flattening does."""
    if value is None:
        return ()
    if type(value) is str:
        return (value,)
    if type(value) is not list or not set(map(type, value)) <= _STR:
        raise NotCanonical
    return tuple(dict.fromkeys(value))


def part(raw: object) -> Thing:
    """A nested Thing/Dataset/Organization without @id: fast.py's `_part`, build.py's `_thing`."""
    if type(raw) is not dict:
        raise NotCanonical
    kind = raw.get("@type")
    if type(kind) is not str:
        return _part(raw)  # a list of types, or none: not worth a cache key
    # Only valid parts are cached, and their keys hold strings or None for absent keys: an equal
    # key of the same length means the same keys with equal strings, hence the same Thing.
    key = (kind, raw.get("name"), raw.get("url"), len(raw))
    thing = _PARTS.get(key)
    if thing is None:
        thing = _part(raw)
        if len(_PARTS) >= _PARTS_MAX:
            _PARTS.clear()
        _PARTS[key] = thing
    return thing


def _part(raw: dict[str, Any]) -> Thing:
    kind = raw.get("@type")
    name = raw.get("name")
    url = raw.get("url")
    if (
        not raw.keys() <= _PART_KEYS
        or ("@type" in raw and kind is None)
        or (name is None and "name" in raw)
        or (name is not None and type(name) is not str)
        or (url is not None and (type(url) is not str or not IRI.fullmatch(url)))
        or (url is None and "url" in raw)
    ):
        raise NotCanonical
    values = {"type": None if kind is None else type_names(kind)[0], "id": None, "name": name, "url": url}
    return construct(Thing, values, set(_THING_SET))


def properties(raw: object) -> CapsuleProperties:
    """`additionalProperty` PropertyValues: typed fields, the rest in `extra`; the first of a name wins."""
    if raw is not None and type(raw) is not list:
        raise NotCanonical
    fields: dict[str, Any] = {
        "trust_level": None,
        "verification_status": None,
        "provenance_status": None,
        "evidence_level": None,
        "content_hash": None,
        "extra": {},
        "trust_tier": None,
    }
    extra: dict[str, Any] = fields["extra"]
    typed: set[str] = set()
    for item in raw or ():
        if type(item) is not dict or item.get("@type") != "PropertyValue" or not item.keys() <= _VALUE_KEYS:
            raise NotCanonical
        value = item.get("value")
        name = item.get("name")
        if type(value) not in _SCALARS:
            raise NotCanonical
        if type(name) is not str:
            if name is not None or "name" in item:
                raise NotCanonical
            continue  # no name: nothing to key it by
        if name in extra or name in typed:
            continue  # a repeated name: the first wins
        if name == "trust_level":
            level = parse_trust_level(value)
            if level is None:
                raise NotCanonical
            fields["trust_level"], fields["trust_tier"] = level, _TIERS[level]
        elif name in STRING_PROPERTIES:
            if type(value) is not str:
                raise NotCanonical
            fields[name] = value
        else:
            extra[name] = value
            continue
        typed.add(name)
    return construct(CapsuleProperties, fields, typed.union(_PROPERTY_SET))
