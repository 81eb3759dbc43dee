"""The direct path: one canonical Forge capsule object straight to its CapsuleRecord.

The node path (fast.py, then build.py) reads a canonical document into the node graph the pyld
path also produces, then builds the record from nodes. For the commonest input, a single capsule
object in the Forge export shape whose values are all valid, this module builds the same record in
one pass over the dict: the same shape checks as fast.py (its helpers), the same field rules as
build.py, and models assembled without re-validation yet holding exactly what validation gives
(tested: the node path's record, and `model_validate(model_dump())` of it, are equal to it).

Anything else returns None and takes the node path: a `@graph` wrapper, a list of types, a value
that is not canonical or not valid (the node path words the finding), a type that is no capsule.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from capsule_audit.jsonld.context import is_schema_context_url
from capsule_audit.models.records import CapsuleProperties, CapsuleRecord, RecordKind, SourceRef, Thing, TrustTier
from capsule_audit.normalize.build import CAPSULE_TYPES, FORGE_ID, STRING_PROPERTIES
from capsule_audit.normalize.fast import IRI, NotCanonical, iri, type_names
from capsule_audit.normalize.values import parse_datetime, parse_trust_level

_M = TypeVar("_M", bound=BaseModel)

_KEYS = frozenset(
    ("@context", "@type", "@id", "name", "text", "identifier", "url", "keywords", "about", "citation")
    + ("isPartOf", "publisher", "dateCreated", "dateModified", "additionalProperty")
)
_PART_KEYS = frozenset(("@type", "name", "url"))
_VALUE_KEYS = frozenset(("@type", "name", "value"))
_CAPSULE_TYPES = frozenset(CAPSULE_TYPES)
_TIERS = tuple(TrustTier.for_level(level).name.lower() for level in range(101))
# What validation marks as set: build.py passes every field but `kind`; the tier is always derived.
_RECORD_SET = frozenset(CapsuleRecord.model_fields) - {"kind"}
_THING_SET = frozenset(Thing.model_fields)
_NAME_SET = frozenset(("name",))
_PROPERTY_SET = frozenset(("extra", "trust_tier"))

_new = object.__new__
_setattr = object.__setattr__


def _construct(cls: type[_M], values: dict[str, Any], fields_set: frozenset[str]) -> _M:
    """`cls.model_construct` minus its per-field loop: `values` holds every field, in field order."""
    model = _new(cls)
    _setattr(model, "__dict__", values)
    _setattr(model, "__pydantic_fields_set__", set(fields_set))
    _setattr(model, "__pydantic_extra__", None)
    _setattr(model, "__pydantic_private__", None)
    return model


def _optional(raw: dict[str, Any], key: str) -> Any:
    """The value at `key`, None when absent; an explicit JSON null is pyld's business."""
    value = raw.get(key)
    if value is None and key in raw:
        raise NotCanonical
    return value


def _string(raw: dict[str, Any], key: str) -> Any:
    value = _optional(raw, key)
    if value is not None and type(value) is not str:
        raise NotCanonical
    return value


def _part(raw: object) -> Thing:
    """A nested Thing/Dataset/Organization without @id (fast.py's `_part`, build.py's `_thing`)."""
    if type(raw) is not dict or not raw.keys() <= _PART_KEYS:
        raise NotCanonical
    kind = _optional(raw, "@type")
    url = _optional(raw, "url")
    if url is not None and (type(url) is not str or not IRI.fullmatch(url)):
        raise NotCanonical
    return _construct(
        Thing,
        {
            "type": type_names(kind)[0] if kind is not None else None,
            "id": None,
            "name": _string(raw, "name"),
            "url": url,
        },
        _THING_SET,
    )


def _listed(value: object) -> list[Any]:
    return value if type(value) is list else [value]


def _citation(item: object) -> Thing:
    if type(item) is str:
        return _construct(Thing, {"type": None, "id": None, "name": item, "url": None}, _NAME_SET)
    return _part(item)


def _date(raw: dict[str, Any], key: str) -> Any:
    text = _string(raw, key)
    if text is None:
        return None
    parsed = parse_datetime(text)
    if parsed is None:
        raise NotCanonical  # CA004: the node path words it
    return parsed


def _properties(raw: object) -> CapsuleProperties:
    if type(raw) is not list:
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
    given: set[str] = set()
    for item in raw:
        if type(item) is not dict or item.get("@type") != "PropertyValue" or not item.keys() <= _VALUE_KEYS:
            raise NotCanonical
        value = item.get("value")
        if type(value) not in (str, int, float):
            raise NotCanonical  # bool is no subclass match here: type() is exact
        name = _string(item, "name")
        if name is None or name in given or name in extra:
            continue  # no name: nothing to key it by; a repeated name: the first wins
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
        given.add(name)
    return _construct(CapsuleProperties, fields, _PROPERTY_SET.union(given))


def direct_record(raw: dict[str, Any], source: SourceRef) -> CapsuleRecord | None:
    """The record of one canonical, valid capsule object; None sends it down the node path."""
    context = raw.get("@context")
    kind = raw.get("@type")
    if (
        type(context) is not str
        or type(kind) is not str
        or kind not in _CAPSULE_TYPES
        or not raw.keys() <= _KEYS
        or not is_schema_context_url(context)
    ):
        return None
    try:
        node_id = iri(raw.get("@id"))
        identifier = _string(raw, "identifier")
        forge = FORGE_ID.fullmatch(node_id)
        url = _optional(raw, "url")
        part_of = _optional(raw, "isPartOf")
        publisher = _optional(raw, "publisher")
        prop_values = _optional(raw, "additionalProperty")
        record = {
            "id": node_id,
            "uuid": identifier or (forge.group(1) if forge else None) or None,
            "kind": RecordKind.CAPSULE,
            "type": kind,
            "name": _string(raw, "name"),
            "text": _string(raw, "text") or "",
            "identifier": identifier,
            "url": iri(url) if url is not None else None,
            "keywords": tuple(dict.fromkeys(_strings(raw.get("keywords", [])))),  # flattening drops repeats
            "about": tuple(_part(item) for item in _listed(raw.get("about", []))),
            "citation": _citations(raw.get("citation", [])),
            "is_part_of": _part(part_of) if part_of is not None else None,
            "publisher": _part(publisher) if publisher is not None else None,
            "date_created": _date(raw, "dateCreated"),
            "date_modified": _date(raw, "dateModified"),
            "properties": _properties(prop_values if prop_values is not None else []),
            "source": source,
        }
    except NotCanonical:
        return None
    return _construct(CapsuleRecord, record, _RECORD_SET)


def _strings(value: object) -> list[Any]:
    items = _listed(value)
    for item in items:
        if type(item) is not str:
            raise NotCanonical
    return items


def _citations(value: object) -> tuple[Thing, ...]:
    items = _listed(value)
    seen: set[str] = set()
    out: list[Thing] = []
    for item in items:
        if type(item) is str:
            if item in seen:
                continue  # repeated literals are dropped, repeated blank nodes are not
            seen.add(item)
        out.append(_citation(item))
    return tuple(out)
