"""RDF export: pyld's N-Quads through rdflib, the same graph for equivalent forms."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from capsule_audit.jsonld.rdf import record_to_jsonld, records_to_nquads, serialize
from capsule_audit.models.records import CapsuleRecord
from capsule_audit.normalize import normalize_document
from tests.conftest import FIXTURES
from tests.normalize.forms import CONFIG, read_document

SCHEMA = "http://schema.org/"


def _records(group: str) -> dict[str, CapsuleRecord]:
    out = {}
    for path in sorted((FIXTURES / "jsonld" / group).iterdir()):
        (record,) = normalize_document(read_document(path), CONFIG)
        assert isinstance(record, CapsuleRecord)
        out[path.name] = record
    return out


def test_turtle_and_nquads_hold_the_capsule() -> None:
    record = _records("equivalent")["compact.jsonld"]
    nquads = records_to_nquads([record])
    for fmt, parse_as in (("turtle", "turtle"), ("nquads", "nt")):
        graph = Graph().parse(data=serialize(nquads, fmt), format=parse_as)
        subject = URIRef(record.id)
        assert (subject, URIRef(SCHEMA + "name"), Literal(record.name)) in graph
        assert (subject, URIRef(SCHEMA + "url"), URIRef(record.url or "")) in graph


def test_equivalent_forms_serialize_identically() -> None:
    outputs = {serialize(records_to_nquads([r]), "nquads") for r in _records("equivalent").values()}
    assert len(outputs) == 1


def test_record_round_trips_through_jsonld() -> None:
    from tests.normalize.forms import units, without_source

    record = _records("equivalent-ids")["compact.jsonld"]
    (again,) = units(record_to_jsonld(record))
    assert without_source(again) == without_source(record)


def test_graphs_are_isomorphic_to_pyld_output() -> None:
    record = _records("equivalent")["compact.jsonld"]
    nquads = records_to_nquads([record])
    direct = Graph().parse(data=nquads, format="nquads")
    assert isomorphic(direct, Graph().parse(data=serialize(nquads, "nquads"), format="nt"))
