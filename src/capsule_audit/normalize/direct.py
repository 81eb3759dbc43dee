"""The direct path: one canonical Forge capsule object straight to its CapsuleRecord.

The node path (fast.py, then build.py) reads a canonical document into the node graph the pyld
path also produces, then builds the record from nodes. For the commonest input, a single capsule
object in the Forge export shape whose values are all valid, this module builds the same record in
one pass over the dict: the same shape checks as fast.py, the same field rules as build.py, and
models assembled without re-validation (`construct`) yet holding exactly what validation gives
(tested: equal to the node path's record and to `model_validate(model_dump())` of itself).

Anything else returns None and takes the node path: a `@graph` wrapper, a list of types, a JSON
null, a value that is not canonical or not valid (the node path words the finding), a type that
is no capsule. Returning None is always safe; it only costs time.
"""

from __future__ import annotations

from typing import Any

from capsule_audit.jsonld.context import is_schema_context_url
from capsule_audit.models.records import CapsuleRecord, RecordKind, SourceRef, Thing
from capsule_audit.normalize.build import CAPSULE_TYPES, FORGE_ID
from capsule_audit.normalize.construct import NotCanonical, construct, part, properties, strings
from capsule_audit.normalize.fast import IRI
from capsule_audit.normalize.values import parse_datetime

_KEYS = frozenset(
    {
        *("@context", "@type", "@id", "name", "text", "identifier", "url", "keywords", "about"),
        *("citation", "isPartOf", "publisher", "dateCreated", "dateModified", "additionalProperty"),
    }
)
_CAPSULE_TYPES = frozenset(CAPSULE_TYPES)
_STR_OR_NONE = frozenset((str, type(None)))
# What validation marks as set: build.py passes every field but `kind` (and `input_findings`
# when there are none, as on this path).
_RECORD_SET = frozenset(CapsuleRecord.model_fields) - {"kind", "input_findings"}
_CAPSULE = RecordKind.CAPSULE


def _date(value: object) -> Any:
    if value is None:
        return None
    if type(value) is not str:
        raise NotCanonical
    parsed = parse_datetime(value)
    if parsed is None:
        raise NotCanonical  # CA004: the node path words it
    return parsed


def _parts(value: object) -> tuple[Thing, ...]:
    if value is None:
        return ()
    return tuple(part(item) for item in (value if type(value) is list else (value,)))


def _citations(value: object) -> tuple[Thing, ...]:
    """Strings (names) and parts, in order; repeated strings dropped, as flattening does."""
    if value is None:
        return ()
    seen: set[str] = set()
    out: list[Thing] = []
    for item in value if type(value) is list else (value,):
        if type(item) is str:
            if item in seen:
                continue  # repeated literals are dropped, repeated blank nodes are not
            seen.add(item)
            out.append(construct(Thing, {"type": None, "id": None, "name": item, "url": None}, {"name"}))
        else:
            out.append(part(item))
    return tuple(out)


def direct_record(raw: dict[str, Any], source: SourceRef) -> CapsuleRecord | None:
    """The record of one canonical, valid capsule object; None sends it down the node path."""
    context = raw.get("@context")
    kind = raw.get("@type")
    node_id = raw.get("@id")
    name = raw.get("name")
    text = raw.get("text")
    identifier = raw.get("identifier")
    url = raw.get("url")
    part_of = raw.get("isPartOf")
    publisher = raw.get("publisher")
    if (
        type(context) is not str
        or type(kind) is not str
        or kind not in _CAPSULE_TYPES
        or not raw.keys() <= _KEYS
        or None in raw.values()  # a JSON null: absent to JSON-LD, but not canonical
        or type(node_id) is not str
        or not {type(name), type(text), type(identifier), type(url)} <= _STR_OR_NONE
        or not IRI.fullmatch(node_id)
        or (url is not None and not IRI.fullmatch(url))
        or not is_schema_context_url(context)
    ):
        return None
    forge = FORGE_ID.fullmatch(node_id)
    try:
        values = {
            "id": node_id,
            "uuid": identifier or (forge.group(1) if forge else None) or None,
            "kind": _CAPSULE,
            "type": kind,
            "name": name,
            "text": text or "",
            "identifier": identifier,
            "url": url,
            "keywords": strings(raw.get("keywords")),
            "about": _parts(raw.get("about")),
            "citation": _citations(raw.get("citation")),
            "is_part_of": None if part_of is None else part(part_of),
            "publisher": None if publisher is None else part(publisher),
            "date_created": _date(raw.get("dateCreated")),
            "date_modified": _date(raw.get("dateModified")),
            "properties": properties(raw.get("additionalProperty")),
            "source": source,
            "input_findings": (),
        }
    except NotCanonical:
        return None
    return construct(CapsuleRecord, values, set(_RECORD_SET))
