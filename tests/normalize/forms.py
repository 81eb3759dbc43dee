"""Test helpers: load fixture documents in memory, and rewrite a capsule into equivalent forms."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from capsule_audit.config import AuditConfig
from capsule_audit.jsonld.expand import expand, flatten
from capsule_audit.loading.documents import Document, JsonDocument, TextDocument
from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord, SourceRef
from capsule_audit.normalize import normalize_document
from capsule_audit.normalize.dispatch import normalize_json

CONFIG = AuditConfig()


def read_document(path: Path) -> Document:
    """A fixture file as loading would give it: JSON when it parses, text otherwise."""
    raw = path.read_bytes()
    source = SourceRef(path=str(path))
    try:
        return JsonDocument(source, json.loads(raw))
    except ValueError:
        return TextDocument(source, raw.decode("utf-8"))


def units(value: object, path: str = "doc.jsonld") -> list[CapsuleRecord | Finding]:
    """Normalize one in-memory JSON value."""
    return list(normalize_document(JsonDocument(SourceRef(path=path), value), CONFIG))


def pyld_units(value: object, path: str = "doc.jsonld") -> list[CapsuleRecord | Finding]:
    """The pyld path forced, whatever the document's shape (for differential tests)."""
    return list(normalize_json(JsonDocument(SourceRef(path=path), value), fast_path=False))


def without_source(unit: CapsuleRecord | Finding) -> dict[str, Any]:
    """A record's content, minus where it was found (forms differ in pointers by nature)."""
    if isinstance(unit, Finding):
        return {"rule": unit.rule, "field": unit.location.field, "capsules": unit.capsules}
    return unit.model_dump(exclude={"source"})


def _prefixed(value: Any) -> Any:
    if isinstance(value, list):
        return [_prefixed(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "@context":
            continue
        if key == "@type":
            out[key] = [f"sdo:{t}" for t in item] if isinstance(item, list) else f"sdo:{item}"
        elif key.startswith("@"):
            out[key] = item
        elif key == "url":
            out["sdo:url"] = {"@id": item}  # the prefix context has no @id coercion for url
        else:
            out[f"sdo:{key}"] = _prefixed(item)
    return out


def _shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    if not isinstance(value, dict):
        return value
    keys = list(value)
    rng.shuffle(keys)
    return {key: _shuffled(value[key], rng) for key in keys}


def _arrays(value: Any) -> Any:
    """Single values as one-element arrays, empty arrays dropped."""
    if isinstance(value, list):
        return [_arrays(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if item == []:
            continue
        if key in ("@context", "@id"):
            out[key] = item
        elif isinstance(item, list):
            out[key] = [_arrays(v) for v in item]
        else:
            out[key] = [_arrays(item)]
    return out


def equivalent_forms(capsule: dict[str, Any], seed: int = 0) -> Iterator[tuple[str, object]]:
    """(name, document) for each equivalent JSON-LD form of a canonical capsule."""
    yield "expanded", expand(capsule)
    yield "flattened", {"@graph": flatten(capsule)}
    prefixed = _prefixed(capsule)
    prefixed["@context"] = {"sdo": "http://schema.org/"}
    for key in ("sdo:dateCreated", "sdo:dateModified"):
        if key in prefixed:  # the official context types dates as schema:Date
            prefixed[key] = {"@value": prefixed[key], "@type": "sdo:Date"}
    yield "prefixed", prefixed
    yield "arrays", _arrays(capsule)
    yield "shuffled", _shuffled(capsule, random.Random(seed))
    yield "graph-wrapper", {"@context": capsule["@context"], "@graph": [_without_context(capsule)]}


def _without_context(capsule: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in capsule.items() if k != "@context"}
