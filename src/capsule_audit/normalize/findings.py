"""Input findings (CA002-CA004) raised by normalization, with content-derived identities."""

from __future__ import annotations

import hashlib
import json

import orjson

from capsule_audit.models.findings import Finding
from capsule_audit.models.records import SourceRef
from capsule_audit.rules.input import invalid_field_value, not_a_capsule, remote_context
from capsule_audit.rules.stamp import input_finding


def content_identity(value: object) -> str:
    """A hash of a parsed document's content, independent of key order; stable across runs."""
    try:
        material = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # integers beyond 64 bits, which orjson does not serialize
        try:
            material = json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8", "replace")
        except (TypeError, ValueError):
            material = repr(value).encode("utf-8", "replace")
    return hashlib.sha256(material).hexdigest()[:32]


def text_identity(text: str) -> str:
    """A hash of a text page's content."""
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:32]


def not_capsule(
    source: SourceRef, message: str, *, identity: str, pointer: str | None = None, capsule: str | None = None
) -> Finding:
    """CA002: no CreativeWork node, a CreativeWork without @id, or not a JSON object."""
    return input_finding(not_a_capsule, source, message, identity=identity, pointer=pointer, capsule=capsule)


def unresolvable_context(source: SourceRef, url: str, *, identity: str) -> Finding:
    """CA003: a context that is remote (not schema.org) or cannot be resolved; `key` is its URL."""
    message = f"@context {url!r} is not the bundled schema.org context and is never fetched"
    return input_finding(remote_context, source, message, identity=identity, key=url)


def invalid_value(
    source: SourceRef,
    message: str,
    *,
    field: str,
    identity: str,
    pointer: str | None = None,
    capsule: str | None = None,
) -> Finding:
    """CA004: a field of a capsule has a value of the wrong type or out of range."""
    return input_finding(
        invalid_field_value,
        source,
        message,
        identity=f"{identity}\x1f{field}",
        field=field,
        pointer=pointer,
        capsule=capsule,
    )
