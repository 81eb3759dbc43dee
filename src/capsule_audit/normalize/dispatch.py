"""Documents to records: the fast path when the document is canonical, pyld otherwise.

Three routes, one result (the differential tests hold them equal): a single canonical capsule
with valid values goes straight to its record (`direct.py`); any other canonical document is read
into nodes by `fast.py`; everything else is flattened by pyld into nodes. Records and findings
are built from nodes by `build.py`.

Each item `normalize_document` yields is one counted unit, so that
`documents == capsules + digests + rejected` holds over a run: a rejected document yields its
finding; a JSON document yields one record or finding per capsule node, or one CA002/CA003
finding when it has no capsule or cannot be processed; a text page yields one digest or CA002.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, BinaryIO

from capsule_audit.config import AuditConfig
from capsule_audit.loading import configured_documents
from capsule_audit.loading.documents import Document, JsonDocument, RejectedDocument, TextDocument
from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord
from capsule_audit.normalize.build import build_record, capsule_type
from capsule_audit.normalize.digest import digest_record
from capsule_audit.normalize.direct import direct_record
from capsule_audit.normalize.fast import fast_nodes
from capsule_audit.normalize.findings import content_identity, not_capsule, unresolvable_context
from capsule_audit.normalize.nodes import Node, nodes_from_flattened

Unit = CapsuleRecord | Finding


def normalize_document(doc: Document, config: AuditConfig) -> Iterator[Unit]:
    """Records and findings of one loaded document, in document order (see module docstring)."""
    del config  # limits were applied by loading; kept for rules of later issues
    if isinstance(doc, RejectedDocument):
        yield doc.finding
    elif isinstance(doc, TextDocument):
        yield digest_record(doc)
    else:
        yield from normalize_json(doc)


def normalize_json(doc: JsonDocument, *, fast_path: bool = True) -> Iterator[Unit]:
    """Units of one JSON document; `fast_path=False` forces pyld (differential tests, benchmarks)."""
    value = doc.value
    if fast_path and type(value) is dict:
        record = direct_record(value, doc.source)
        if record is not None:
            yield record
            return
    identity: Callable[[], str] = functools.cache(lambda: content_identity(value))
    if not isinstance(value, dict | list):
        yield not_capsule(doc.source, f"a JSON {type(value).__name__}, not an object", identity=identity())
        return
    located = fast_nodes(value) if fast_path else None
    if located is None:
        # pyld is imported on first use: canonical Forge dumps never need it (start-up time).
        from capsule_audit.jsonld.expand import JsonLdFailure, RemoteContextError

        try:
            located = _pyld_nodes(value)
        except RemoteContextError as exc:
            yield unresolvable_context(doc.source, exc.url, identity=identity())
            return
        except JsonLdFailure as exc:
            yield not_capsule(doc.source, f"not valid JSON-LD ({exc})", identity=identity())
            return
    capsules = [(pointer, node) for pointer, node in located if capsule_type(node) is not None]
    if not capsules:
        types = sorted({t for _, node in located for t in node.types})
        found = f"node types: {', '.join(types)[:200]}" if types else "no typed node"
        yield not_capsule(doc.source, f"no CreativeWork node ({found})", identity=identity())
        return
    for pointer, node in capsules:
        source = doc.source
        if pointer:
            source = source.model_copy(update={"pointer": source.pointer + pointer})
        yield build_record(node, source, identity, functools.partial(_key_pointer, value, pointer))


def _pyld_nodes(value: dict[str, Any] | list[Any]) -> list[tuple[str, Node]]:
    """Top-level nodes of the flattened document, each with the pointer it was written at."""
    from capsule_audit.jsonld.expand import flatten

    nodes = nodes_from_flattened(flatten(value))
    # A node's link to itself (`url` equal to its own @id) does not make it a part.
    referenced = {id(v) for node in nodes for values in node.props.values() for v in values if v is not node}
    # In a flattened graph every node is top-level: a capsule is a capsule-typed node that no
    # other node links to (a cited CreativeWork is a part), unless it carries its own text.
    roots = [n for n in nodes if id(n) not in referenced or n.values("text")]
    where = _written_at(value)
    unplaced = (len(where), "")
    roots.sort(key=lambda n: (where.get(n.id or "", unplaced), n.id or ""))
    return [(where.get(n.id or "", unplaced)[1], n) for n in roots]


def _key_pointer(value: object, pointer: str, prop: str) -> str:
    """'/key' for the key `prop` is written under in the object at `pointer` (below which the
    source's pointer already is): 'dateCreated', 'schema:dateCreated' or a full IRI; else '/prop'."""
    target = value
    for step in pointer.split("/")[1:]:
        if isinstance(target, dict):
            target = target.get(step)
        elif isinstance(target, list) and step.isdigit() and int(step) < len(target):
            target = target[int(step)]
    written = prop
    if isinstance(target, dict) and prop not in target:
        written = next((key for key in target if key.endswith((f":{prop}", f"/{prop}"))), prop)
    return "/" + written.replace("~", "~0").replace("/", "~1")


def _written_at(value: dict[str, Any] | list[Any]) -> dict[str, tuple[int, str]]:
    """@id (or `id`) of each top-level object to (position, JSON pointer)."""
    candidates: list[tuple[str, object]] = []
    if isinstance(value, dict):
        candidates.append(("", value))
        graph = value.get("@graph")
        if isinstance(graph, list):
            candidates.extend((f"/@graph/{i}", item) for i, item in enumerate(graph))
    else:
        for i, item in enumerate(value):
            candidates.append((f"/{i}", item))
            graph = item.get("@graph") if isinstance(item, dict) else None
            if isinstance(graph, list):
                candidates.extend((f"/{i}/@graph/{j}", sub) for j, sub in enumerate(graph))
    where: dict[str, tuple[int, str]] = {}
    for position, (pointer, item) in enumerate(candidates):
        if isinstance(item, dict):
            for key in ("@id", "id"):
                label = item.get(key)
                if isinstance(label, str):
                    where.setdefault(label, (position, pointer))
    return where


def iter_records(
    paths: Sequence[str],
    config: AuditConfig,
    *,
    stdin: BinaryIO | None = None,
    fetch_url: Callable[[str], bytes] | None = None,
) -> Iterator[Unit]:
    """Load every path (files, directories, `-`, URLs with `fetch_url`) and normalize each document."""
    for doc in configured_documents(paths, config, stdin=stdin, fetch_url=fetch_url):
        # The commonest document, a canonical capsule object, without two generators' set-up.
        if type(doc) is JsonDocument and type(doc.value) is dict:
            record = direct_record(doc.value, doc.source)
            if record is not None:
                yield record
                continue
        yield from normalize_document(doc, config)
