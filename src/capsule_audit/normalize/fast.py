"""The fast path: the canonical Forge export shape read straight into nodes, without pyld.

Canonical means: the `@context` in scope is a string naming schema.org, every key is one the
Forge export writes, and every value has the shape the export gives it (see `_PROPERTIES`).
Anything else returns None and goes through pyld; the differential tests prove both paths agree.
(`direct.py` takes the commonest canonical documents, valid single capsules, with the same checks.)
The reading mirrors what flattening does: literal values of one property are de-duplicated
(first kept), types too, and nested objects without `@id` are separate blank nodes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from capsule_audit.jsonld.context import is_schema_context_url, special_terms
from capsule_audit.normalize.nodes import Literal, Node

_TERM = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# Absolute http(s) IRIs with nothing pyld would resolve, expand or reject.
IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


class NotCanonical(Exception):
    """The document leaves the canonical shape; the pyld path takes it."""


def type_names(raw: object) -> tuple[str, ...]:
    """`@type` as de-duplicated schema.org local names; NotCanonical unless plain terms."""
    names = raw if isinstance(raw, list) else [raw]
    out: list[str] = []
    for name in names:
        if not isinstance(name, str) or not _TERM.fullmatch(name) or name in special_terms():
            raise NotCanonical
        if name not in out:
            out.append(name)
    if not out:
        raise NotCanonical
    return tuple(out)


def iri(raw: object) -> str:
    """An absolute http(s) IRI as given; NotCanonical for anything pyld would have to resolve."""
    if not isinstance(raw, str) or not IRI.fullmatch(raw):
        raise NotCanonical
    return raw


def _string(raw: object) -> list[Literal | Node]:
    if not isinstance(raw, str):
        raise NotCanonical
    return [Literal(raw)]


def _iri_ref(raw: object) -> list[Literal | Node]:
    return [Node(id=iri(raw))]


def _strings(raw: object) -> list[Literal | Node]:
    items = raw if isinstance(raw, list) else [raw]
    seen: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise NotCanonical
        if item not in seen:  # flattening drops repeated literal values
            seen.append(item)
    return [Literal(item) for item in seen]


def _part(raw: object) -> Node:
    """A nested Thing/Dataset/Organization: `{"@type", "name", "url"}`, no @id (a blank node)."""
    if not isinstance(raw, dict) or not raw.keys() <= {"@type", "name", "url"}:
        raise NotCanonical
    node = Node(id=None, types=type_names(raw["@type"]) if "@type" in raw else ())
    if "name" in raw:
        node.props["name"] = _string(raw["name"])
    if "url" in raw:
        node.props["url"] = _iri_ref(raw["url"])
    return node


def _parts(raw: object) -> list[Literal | Node]:
    items = raw if isinstance(raw, list) else [raw]
    return [_part(item) for item in items]


def _citations(raw: object) -> list[Literal | Node]:
    items = raw if isinstance(raw, list) else [raw]
    out: list[Literal | Node] = []
    seen: list[str] = []
    for item in items:
        if isinstance(item, str):
            if item not in seen:
                seen.append(item)
                out.append(Literal(item))
        else:
            out.append(_part(item))
    return out


def _property_values(raw: object) -> list[Literal | Node]:
    if not isinstance(raw, list):
        raise NotCanonical
    out: list[Literal | Node] = []
    for item in raw:
        if not isinstance(item, dict) or item.get("@type") != "PropertyValue":
            raise NotCanonical
        if not item.keys() <= {"@type", "name", "value"}:
            raise NotCanonical
        value = item.get("value")
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise NotCanonical
        node = Node(id=None, types=("PropertyValue",), props={"value": [Literal(value)]})
        if "name" in item:
            node.props["name"] = _string(item["name"])
        out.append(node)
    return out


_PROPERTIES: dict[str, Callable[[object], list[Literal | Node]]] = {
    "name": _string,
    "text": _string,
    "identifier": _string,
    "url": _iri_ref,
    "keywords": _strings,
    "about": _parts,
    "citation": _citations,
    "isPartOf": lambda raw: [_part(raw)],
    "publisher": lambda raw: [_part(raw)],
    "dateCreated": _string,
    "dateModified": _string,
    "additionalProperty": _property_values,
}


def _capsule(raw: object, *, context_in_scope: bool) -> Node:
    if not isinstance(raw, dict):
        raise NotCanonical
    context = raw.get("@context")
    if context is not None:
        if not isinstance(context, str) or not is_schema_context_url(context):
            raise NotCanonical
    elif not context_in_scope:
        raise NotCanonical
    if "@type" not in raw or "@id" not in raw:
        raise NotCanonical  # the pyld path words the CA002 finding
    node = Node(id=iri(raw["@id"]), types=type_names(raw["@type"]))
    for key, value in raw.items():
        if key in ("@context", "@type", "@id"):
            continue
        reader = _PROPERTIES.get(key)
        if reader is None:
            raise NotCanonical
        values = reader(value)
        if values:
            node.props[key] = values
    return node


def fast_nodes(value: object) -> list[tuple[str, Node]] | None:
    """(pointer, node) of each top-level node of a canonical document, or None if not canonical.

    A canonical document is one capsule object, or a `{"@context", "@graph"}` wrapper whose
    `@graph` holds only canonical capsule objects.
    """
    if not isinstance(value, dict):
        return None
    try:
        if "@graph" in value:
            context = value.get("@context")
            graph = value["@graph"]
            if value.keys() != {"@context", "@graph"} or not isinstance(graph, list):
                return None
            if not isinstance(context, str) or not is_schema_context_url(context):
                return None
            nodes = [(f"/@graph/{i}", _capsule(item, context_in_scope=True)) for i, item in enumerate(graph)]
            if len({node.id for _, node in nodes}) != len(nodes):
                return None  # JSON-LD merges nodes sharing an @id: pyld's job
            return nodes
        return [("", _capsule(value, context_in_scope=False))]
    except NotCanonical:
        return None


def fast_node_values(raw: dict[str, Any]) -> Node | None:
    """One canonical capsule object as a node (tests and benchmarks), or None."""
    try:
        return _capsule(raw, context_in_scope=False)
    except NotCanonical:
        return None
