"""The bundled schema.org context and a pyld document loader that never touches the network.

pyld's default loader fetches remote contexts (no timeout, no size cap) and rdflib's JSON-LD parser
does the same with `urlopen`. Here every alias of the schema.org context URL is answered from
`capsule_audit/data/schemaorg-context.jsonld`; any other URL is refused and remembered, so the
caller can reject the document with a finding that names it (CA003).
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

SCHEMA_HTTP = "http://schema.org/"
SCHEMA_HTTPS = "https://schema.org/"

RELATIVE_BASE = "https://relative.capsule-audit.invalid/"
"""The base pyld resolves relative IRIs against (a document has no URL to serve as one).

pyld's own fallback, `http://example.org/base/`, makes a relative `@id` look like a real IRI
(two capsules with `"@id": ""` became one capsule id). Under this reserved host a resolved IRI
still says it was relative: `unresolved` takes it back to the reference as written."""

_SCHEMA_HOSTS = ("schema.org", "www.schema.org")
_SCHEMA_PATHS = ("", "/", "/docs/jsonldcontext.jsonld", "/docs/jsonldcontext.json")


def _aliases() -> frozenset[str]:
    urls = set()
    for scheme in ("http", "https"):
        for host in _SCHEMA_HOSTS:
            for path in _SCHEMA_PATHS:
                urls.add(f"{scheme}://{host}{path}")
    return frozenset(urls)


SCHEMA_CONTEXT_URLS: frozenset[str] = _aliases()
"""Every URL answered with the bundled context: http/https, with and without trailing slash,
`/docs/jsonldcontext.jsonld` and `.json` (and the `www.` host, which serves the same file)."""


def is_schema_context_url(url: str) -> bool:
    """Whether `url` names the schema.org context (case-insensitive scheme and host)."""
    if url in SCHEMA_CONTEXT_URLS:
        return True
    scheme, sep, rest = url.partition("://")
    if not sep:
        return False
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}" in SCHEMA_CONTEXT_URLS


@functools.cache
def bundled_context_document() -> dict[str, Any]:
    """The bundled context file as parsed (`{"@context": {...}}`); do not mutate it."""
    text = resources.files("capsule_audit.data").joinpath("schemaorg-context.jsonld").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@functools.cache
def context_terms() -> dict[str, Any]:
    """The term definitions of the bundled context."""
    terms: dict[str, Any] = bundled_context_document()["@context"]
    return terms


@functools.cache
def special_terms() -> frozenset[str]:
    """Terms whose meaning is not simply `schema:<term>`: aliases, prefixes, non-schema IRIs.

    The fast path treats a bare name as `http://schema.org/<name>` only when it is not one of these.
    """
    special = set()
    for term, definition in context_terms().items():
        iri = definition.get("@id") if isinstance(definition, dict) else definition
        if iri != f"schema:{term}":
            special.add(term)
    return frozenset(special)


class OfflineLoader:
    """A pyld `documentLoader`: the bundled context for schema.org URLs, refusal for the rest.

    One instance per operation: `refused` lists, in order, the URLs that were asked for and refused.
    """

    def __init__(self) -> None:
        self.refused: list[str] = []

    def __call__(self, url: str, options: object = None) -> dict[str, Any]:
        """Answer pyld's request for `url`, or raise (pyld wraps it in a JsonLdError)."""
        del options
        if is_schema_context_url(url):
            return {
                "contextUrl": None,
                "documentUrl": url,
                # pyld edits resolved context documents in place (relative @context URLs)
                "document": copy.deepcopy(bundled_context_document()),
                "contentType": "application/ld+json",
                # 'static' lets pyld keep the processed context between documents: processing
                # the context again for every capsule is what makes pyld slow.
                "tag": "static",
            }
        self.refused.append(url)
        raise RemoteContextRefused(url)


class RemoteContextRefused(Exception):
    """A context URL other than schema.org was requested; it is never fetched."""

    def __init__(self, url: str) -> None:
        super().__init__(f"remote context not fetched: {url}")
        self.url = url


def unresolved(iri: str) -> str:
    """A relative reference as written, from its resolution against `RELATIVE_BASE`; else `iri`."""
    return iri[len(RELATIVE_BASE) :] if iri.startswith(RELATIVE_BASE) else iri
