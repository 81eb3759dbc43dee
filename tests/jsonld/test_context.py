"""The bundled context: served for every schema.org alias, equal in effect to the official one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from capsule_audit.jsonld.context import OfflineLoader, RemoteContextRefused, is_schema_context_url
from capsule_audit.jsonld.expand import expand
from tests.conftest import FIXTURES, SEEDS, require_reference

ALIASES = [
    "https://schema.org",
    "https://schema.org/",
    "http://schema.org",
    "http://schema.org/",
    "https://schema.org/docs/jsonldcontext.jsonld",
    "http://schema.org/docs/jsonldcontext.json",
    "HTTPS://Schema.org/",
]


@pytest.mark.parametrize("url", ALIASES)
def test_aliases_are_served_from_the_bundle(url: str) -> None:
    assert is_schema_context_url(url)
    loader = OfflineLoader()
    assert "@context" in loader(url)["document"]
    assert loader.refused == []


@pytest.mark.parametrize(
    "url", ["https://schema.org.evil/", "https://example.org/ctx", "ctx.jsonld", "https://schema.org/Thing"]
)
def test_other_urls_are_refused_and_recorded(url: str) -> None:
    loader = OfflineLoader()
    assert not is_schema_context_url(url)
    with pytest.raises(RemoteContextRefused):
        loader(url)
    assert loader.refused == [url]


def _fixture_documents() -> list[Path]:
    paths = [p for p in sorted(SEEDS.iterdir()) if p.read_bytes().lstrip().startswith(b"{")]
    paths += sorted((FIXTURES / "jsonld" / "equivalent").iterdir())
    paths += sorted((FIXTURES / "jsonld" / "equivalent-ids").iterdir())
    return paths


def _expand_with_official(document: Any, official: dict[str, Any]) -> Any:
    def loader(url: str, options: object = None) -> dict[str, Any]:
        assert is_schema_context_url(url), url
        return {"contextUrl": None, "documentUrl": url, "document": json.loads(json.dumps(official))}

    # A private cache, so the bundled context cached by capsule-audit cannot answer instead.
    return jsonld.expand(
        document, {"documentLoader": loader, "contextResolver": ContextResolver({}, loader), "base": ""}
    )


@pytest.mark.parametrize("path", _fixture_documents(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bundled_expansion_equals_official(path: Path) -> None:
    official = json.loads(require_reference("schemaorg-context-30.0.jsonld").read_text("utf-8"))
    document = json.loads(path.read_bytes())
    assert expand(document) == _expand_with_official(document, official)
