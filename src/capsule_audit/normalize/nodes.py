"""The form-independent node graph both normalization paths produce, and its reading from pyld.

A `Node` is one JSON-LD node: its IRI (None for a blank node), its types and its properties, with
schema.org IRIs (http or https) reduced to local names ('name', 'CreativeWork') and any other IRI
kept whole. Values are `Literal`s or other `Node`s. The fast path builds this from the Forge
export shape; the pyld path from flattened JSON-LD. Records are then built from nodes only, which
is what makes the two paths agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from capsule_audit.jsonld.context import SCHEMA_HTTP, SCHEMA_HTTPS, unresolved


@dataclass(frozen=True, slots=True)
class Literal:
    """A literal value as JSON gives it (str, int, float, bool; any JSON for `@json`)."""

    value: Any


@dataclass(eq=False, slots=True)
class Node:
    """A node; linked nodes are shared objects, so cycles are possible (readers go one level)."""

    id: str | None
    types: tuple[str, ...] = ()
    props: dict[str, list[Literal | Node]] = field(default_factory=dict)

    def values(self, prop: str) -> list[Literal | Node]:
        """Values of a property (schema.org local name or full IRI), in document order."""
        return self.props.get(prop, [])


def vocab_name(iri: str) -> str:
    """'http://schema.org/name' and 'https://schema.org/name' to 'name'; other IRIs unchanged."""
    if iri.startswith(SCHEMA_HTTP):
        return iri[len(SCHEMA_HTTP) :]
    if iri.startswith(SCHEMA_HTTPS):
        return iri[len(SCHEMA_HTTPS) :]
    return iri


def _node_id(raw: object) -> str | None:
    if not isinstance(raw, str) or raw.startswith("_:"):
        return None
    return unresolved(raw)  # a relative @id stays relative: build.py reports it


def _literals(value: dict[str, Any]) -> list[Literal]:
    if "@value" in value:
        return [Literal(value["@value"])]
    return []


def nodes_from_flattened(flattened: list[dict[str, Any]]) -> list[Node]:
    """Nodes of the default graph of pyld's flattened output, references resolved, in its order."""
    by_label: dict[str, Node] = {}
    pending: list[tuple[Node, dict[str, Any]]] = []
    for raw in flattened:
        label = raw.get("@id")
        if not isinstance(label, str):
            continue
        types = tuple(vocab_name(t) for t in raw.get("@type", ()) if isinstance(t, str))
        node = Node(id=_node_id(label), types=types)
        by_label[label] = node
        pending.append((node, raw))

    def resolve(value: object) -> list[Literal | Node]:
        if not isinstance(value, dict):
            return []
        if "@list" in value:
            out: list[Literal | Node] = []
            for item in value["@list"] if isinstance(value["@list"], list) else ():
                out.extend(resolve(item))
            return out
        if "@id" in value and "@value" not in value:
            label = value["@id"]
            if not isinstance(label, str):
                return []
            linked = by_label.get(label)
            return [linked if linked is not None else Node(id=_node_id(label))]
        return list(_literals(value))

    for node, raw in pending:
        for key, values in raw.items():
            if key.startswith("@") or not isinstance(values, list):
                continue
            resolved: list[Literal | Node] = []
            for value in values:
                resolved.extend(resolve(value))
            # http and https schema.org IRIs are one vocabulary: merge, never overwrite
            node.props.setdefault(vocab_name(key), []).extend(resolved)
    return [node for node, _ in pending]
