"""Build a CapsuleRecord from a capsule `Node`, or the CA002/CA004 finding that rejects it.

Accepted capsule types (`CAPSULE_TYPES`): schema.org `CreativeWork` and the subtypes a research
capsule could plausibly be exported as: Article, ScholarlyArticle, TechArticle, NewsArticle,
BlogPosting, Report, Review. Dataset, though a CreativeWork subtype in schema.org, is what capsules
are `isPartOf`, so it is a part, like PropertyValue, Organization, Person and Thing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleProperties, CapsuleRecord, SourceRef, Thing
from capsule_audit.normalize.findings import invalid_value, not_capsule
from capsule_audit.normalize.nodes import Literal, Node
from capsule_audit.normalize.values import parse_datetime, parse_trust_level

_T = TypeVar("_T")

# Most specific first: a node typed both Article and ScholarlyArticle is recorded as the latter.
CAPSULE_TYPES: tuple[str, ...] = (
    "ScholarlyArticle",
    "TechArticle",
    "NewsArticle",
    "BlogPosting",
    "Report",
    "Review",
    "Article",
    "CreativeWork",
)
_CAPSULE_TYPE_SET = frozenset(CAPSULE_TYPES)
# The uuid of a Forge capsule IRI, when the capsule has no `identifier`.
FORGE_ID = re.compile(r"https?://(?:www\.)?forgecascade\.org/(?:public/)?capsules/([^/?#\s]+)/?")
# An IRI with a scheme (RFC 3987): anything else is a relative reference.
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# additionalProperty names typed as strings; others are kept in `extra` as given.
STRING_PROPERTIES = ("verification_status", "provenance_status", "evidence_level", "content_hash")


class _Invalid(Exception):
    def __init__(self, field: str, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.key = key or field  # the property it was written under (trust_level: additionalProperty)


def capsule_type(node: Node) -> str | None:
    """The accepted type a node is a capsule as, or None when it is not a capsule type."""
    if not _CAPSULE_TYPE_SET.intersection(node.types):
        return None
    return next(t for t in CAPSULE_TYPES if t in node.types)


def _single_string(node: Node, prop: str, *, required: bool = False) -> str | None:
    values = node.values(prop)
    if not values:
        if required:
            raise _Invalid(prop, f"{prop} is missing")
        return None
    if len(values) > 1:
        raise _Invalid(prop, f"{prop} has {len(values)} values; one string expected")
    value = values[0]
    if not isinstance(value, Literal) or not isinstance(value.value, str):
        raise _Invalid(prop, f"{prop} must be a string, not {_describe(value)}")
    return value.value


def _describe(value: Literal | Node) -> str:
    if isinstance(value, Node):
        return "a node"
    return type(value.value).__name__


def _iri_or_string(node: Node, prop: str) -> str | None:
    for value in node.values(prop):
        if isinstance(value, Node) and value.id is not None:
            return value.id
        if isinstance(value, Literal) and isinstance(value.value, str):
            return value.value
    return None


def _thing(value: Literal | Node, prop: str) -> Thing:
    if isinstance(value, Literal):
        if not isinstance(value.value, str):
            raise _Invalid(prop, f"{prop} entries must be nodes or strings, not {_describe(value)}")
        return Thing(name=value.value)
    names = [v.value for v in value.values("name") if isinstance(v, Literal) and isinstance(v.value, str)]
    return Thing(
        type=value.types[0] if value.types else None,
        id=value.id,
        name=names[0] if names else None,
        url=_iri_or_string(value, "url"),
    )


def _keywords(node: Node) -> tuple[str, ...]:
    out = []
    for value in node.values("keywords"):
        if isinstance(value, Literal) and isinstance(value.value, str):
            out.append(value.value)
        elif isinstance(value, Node) and (names := _thing(value, "keywords").name):
            out.append(names)  # a DefinedTerm keyword: its name
        else:
            raise _Invalid("keywords", f"keywords must be strings, not {_describe(value)}")
    return tuple(out)


def _date(node: Node, prop: str) -> datetime | None:
    text = _single_string(node, prop)
    if text is None:
        return None
    parsed = parse_datetime(text)
    if parsed is None:
        raise _Invalid(prop, f"{prop} {text[:60]!r} is not an ISO 8601 date")
    return parsed


def _properties(node: Node, problems: list[_Invalid]) -> CapsuleProperties:
    """Typed additionalProperty fields and `extra`; an invalid one is left out, its problem kept."""
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    left_out: set[str] = set()
    for value in node.values("additionalProperty"):
        if not isinstance(value, Node):
            continue  # a bare string is not a PropertyValue: nothing to key it by
        names = [v.value for v in value.values("name") if isinstance(v, Literal) and isinstance(v.value, str)]
        names = names or [
            v.value for v in value.values("propertyID") if isinstance(v, Literal) and isinstance(v.value, str)
        ]
        if not names:
            continue
        name = names[0]
        raw = [_plain(v) for v in value.values("value")]
        given = raw[0] if len(raw) == 1 else (raw or None)
        if name in fields or name in extra or name in left_out:
            continue  # the first PropertyValue of a name wins
        if name == "trust_level":
            level = parse_trust_level(given)
            if level is None:
                message = f"trust_level {given!r} is not an integer 0-100"
                problems.append(_Invalid("trust_level", message, "additionalProperty"))
                left_out.add(name)  # the first of a name still wins: a later one does not stand in
                continue
            fields[name] = level
        elif name in STRING_PROPERTIES:
            if not isinstance(given, str):
                message = f"{name} must be a string, not {type(given).__name__}"
                problems.append(_Invalid(name, message, "additionalProperty"))
                left_out.add(name)
                continue
            fields[name] = given
        else:
            extra[name] = given
    return CapsuleProperties(**fields, extra=extra)


def _plain(value: Literal | Node) -> Any:
    if isinstance(value, Literal):
        return value.value
    return _thing(value, "additionalProperty").model_dump(exclude_none=True)


def build_record(
    node: Node,
    source: SourceRef,
    identity: Callable[[], str],
    pointer_of: Callable[[str], str] | None = None,
) -> CapsuleRecord | Finding:
    """The record for a capsule node, or the CA002 finding that rejects it.

    A field with an invalid value is left out of the record (as if absent) and reported as a
    CA004 finding the record carries (`input_findings`): the rest of the capsule is still audited.
    `identity` gives the document's content hash; it is only computed when a finding needs it.
    `pointer_of` gives the JSON pointer (below the source's) of a property as written.
    """
    if node.id is None:
        return not_capsule(source, "the CreativeWork node has no @id", identity=identity())
    if not ABSOLUTE_IRI.match(node.id):
        pointer = f"{source.pointer}/@id"
        message = f"the CreativeWork's @id {node.id[:200]!r} is relative: an absolute IRI is needed (no base is assumed)"
        return not_capsule(source, message, identity=f"{identity()}\x1f{pointer}", pointer=pointer)
    problems: list[_Invalid] = []

    def read(call: Callable[[], _T]) -> _T | None:
        try:
            return call()
        except _Invalid as problem:
            problems.append(problem)
            return None  # left out, as if absent

    identifier = read(lambda: _single_string(node, "identifier"))
    forge = FORGE_ID.fullmatch(node.id)
    uuid = identifier or (forge.group(1) if forge else None)
    part_of, publisher = node.values("isPartOf"), node.values("publisher")
    name = read(lambda: _single_string(node, "name"))
    text = read(lambda: _single_string(node, "text"))
    keywords = read(lambda: _keywords(node))
    about = read(lambda: tuple(_thing(v, "about") for v in node.values("about")))
    citation = read(lambda: tuple(_thing(v, "citation") for v in node.values("citation")))
    is_part_of = read(lambda: _thing(part_of[0], "isPartOf") if part_of else None)
    published_by = read(lambda: _thing(publisher[0], "publisher") if publisher else None)
    date_created = read(lambda: _date(node, "dateCreated"))
    date_modified = read(lambda: _date(node, "dateModified"))
    properties = _properties(node, problems)
    findings = tuple(
        invalid_value(
            source,
            str(problem),
            field=problem.field,
            identity=identity(),
            capsule=node.id,
            pointer=source.pointer + (pointer_of(problem.key) if pointer_of else f"/{problem.key}"),
        )
        for problem in problems
    )
    return CapsuleRecord(
        id=node.id,
        uuid=uuid or None,
        type=capsule_type(node) or "CreativeWork",
        name=name,
        text=text or "",
        identifier=identifier,
        url=_iri_or_string(node, "url"),
        keywords=keywords or (),
        about=about or (),
        citation=citation or (),
        is_part_of=is_part_of,
        publisher=published_by,
        date_created=date_created,
        date_modified=date_modified,
        properties=properties,
        source=source,
        **({"input_findings": findings} if findings else {}),
    )
