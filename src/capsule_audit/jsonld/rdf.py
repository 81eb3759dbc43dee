"""RDF export: records as schema.org JSON-LD, converted by pyld (offline) to N-Quads, then rdflib.

rdflib never sees JSON-LD: its JSON-LD parser fetches remote contexts with `urlopen`. It parses
the N-Quads pyld produced and serializes them as N-Quads or Turtle.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from capsule_audit.jsonld.expand import to_nquads
from capsule_audit.models.records import CapsuleRecord, Thing

RdfFormat = Literal["nquads", "turtle"]


def _thing(thing: Thing) -> dict[str, Any]:
    node: dict[str, Any] = {}
    if thing.id:
        node["@id"] = thing.id
    if thing.type:
        node["@type"] = thing.type
    if thing.name is not None:
        node["name"] = thing.name
    if thing.url:
        node["url"] = thing.url
    return node


def record_to_jsonld(record: CapsuleRecord) -> dict[str, Any]:
    """The record as a compact schema.org JSON-LD object (the Forge export shape)."""
    doc: dict[str, Any] = {"@context": "https://schema.org", "@id": record.id, "@type": record.type}
    optional = {
        "identifier": record.identifier,
        "url": record.url,
        "name": record.name,
        "dateCreated": record.date_created.isoformat() if record.date_created else None,
        "dateModified": record.date_modified.isoformat() if record.date_modified else None,
        "isPartOf": _thing(record.is_part_of) if record.is_part_of else None,
        "publisher": _thing(record.publisher) if record.publisher else None,
    }
    doc.update({key: value for key, value in optional.items() if value is not None})
    doc["text"] = record.text
    doc["keywords"] = list(record.keywords)
    doc["about"] = [_thing(t) for t in record.about]
    doc["citation"] = [_thing(t) for t in record.citation]
    props = record.properties
    named: dict[str, Any] = {
        "trust_level": props.trust_level,
        "verification_status": props.verification_status,
        "provenance_status": props.provenance_status,
        "evidence_level": props.evidence_level,
        "content_hash": props.content_hash,
        **props.extra,
    }
    doc["additionalProperty"] = [
        {"@type": "PropertyValue", "name": name, "value": value}
        for name, value in named.items()
        if value is not None
    ]
    return doc


def records_to_nquads(records: Iterable[CapsuleRecord]) -> str:
    """pyld's N-Quads for the records, concatenated (blank nodes relabelled per record)."""
    chunks = []
    for number, record in enumerate(records):
        quads = to_nquads(record_to_jsonld(record))
        # pyld labels blank nodes _:b0.. per call; keep records' blank nodes apart
        chunks.append(quads.replace("_:b", f"_:r{number}b"))
    return "".join(chunks)


def serialize(nquads: str, fmt: RdfFormat) -> str:
    """N-Quads parsed by rdflib and written as `fmt`, deterministically.

    rdflib labels blank nodes at random; canonical labelling (rdflib.compare) and sorted N-Quads
    lines make equal graphs print identically.
    """
    # pyld writes records in the default graph only: its N-Quads are N-Triples
    graph = Graph()
    graph.parse(data=nquads, format="nt")
    canonical = Graph(bind_namespaces="core")
    canonical.bind("schema", "http://schema.org/")
    for triple in to_canonical_graph(graph):
        canonical.add(triple)
    if fmt == "nquads":
        lines = canonical.serialize(format="nt").splitlines()
        return "".join(f"{line}\n" for line in sorted(set(lines)) if line.strip())
    text: str = canonical.serialize(format="turtle")
    return text
