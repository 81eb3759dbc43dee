"""The pyld path: flatten or convert a JSON-LD document offline, failures as typed errors.

Every call uses an `OfflineLoader` and a context cache private to capsule-audit (other pyld users
in the process keep theirs). pyld raises many exception types on strange input; each becomes a
`JsonLdFailure` (or `RemoteContextError` when a remote context was refused), never a crash. pyld's
uuid1 context names are replaced, within our calls, by a counter: no socket is opened.
"""

from __future__ import annotations

import contextvars
import itertools
import uuid
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from capsule_audit.jsonld.context import RELATIVE_BASE, OfflineLoader, is_schema_context_url

# Processed contexts live in resolved-context entries of this cache (keyed by URL), so the
# schema.org context is processed once per process rather than once per document.
_CONTEXT_CACHE: LRUCache[str, Any] = LRUCache(maxsize=64)

# pyld warns (SyntaxWarning) about reserved-looking terms; input problems are findings, not noise
# on stderr between them.
warnings.filterwarnings("ignore", category=SyntaxWarning, module=r"pyld\.")


class _ContextIds(ModuleType):
    """Stands in for `uuid` inside pyld, which names each processed context `uuid.uuid1()`.

    uuid1 asks libuuid, which opens an AF_UNIX socket to uuidd and an AF_INET one to read the
    MAC address: an offline audit must open no socket at all. Within our pyld calls the name is
    a counter (a UUID with no version bits, so it never equals a real uuid1 another pyld user
    in the process gets); outside them, and for every other name, the real module answers.
    """

    def __init__(self) -> None:
        super().__init__("uuid")
        self._counter = itertools.count(1)

    def uuid1(self, node: int | None = None, clock_seq: int | None = None) -> uuid.UUID:
        """The next counter value during our calls; `uuid.uuid1()` otherwise."""
        if _IN_OUR_CALL.get():
            return uuid.UUID(int=next(self._counter))
        return uuid.uuid1(node, clock_seq)

    def __getattr__(self, name: str) -> Any:
        return getattr(uuid, name)


_IN_OUR_CALL: contextvars.ContextVar[bool] = contextvars.ContextVar("capsule_audit_pyld", default=False)
jsonld.uuid = _ContextIds()  # pyld reads `uuid.uuid1` at call time


class JsonLdFailure(Exception):
    """The document is not JSON-LD pyld can process; `code` is the JSON-LD error code if any."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class RemoteContextError(JsonLdFailure):
    """The document needs a context that is not bundled (remote or unresolvable); `url` names it."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"context {url!r} is not bundled and is never fetched", "loading remote context failed"
        )
        self.url = url


def _options(loader: OfflineLoader) -> dict[str, Any]:
    return {
        "documentLoader": loader,
        "contextResolver": ContextResolver(_CONTEXT_CACHE, loader),
        # No document URL: relative IRIs resolve under a base that marks them as relative.
        "base": RELATIVE_BASE,
    }


def _failure(exc: BaseException, loader: OfflineLoader) -> JsonLdFailure:
    if loader.refused:
        return RemoteContextError(loader.refused[0])
    # pyld wraps the error that explains the problem: report the innermost one
    root: BaseException = exc
    for _ in range(20):
        if root.__cause__ is None:
            break
        root = root.__cause__
    code = getattr(root, "code", None) or getattr(exc, "code", None)
    summary = str(root.args[0]) if root.args else type(root).__name__
    return JsonLdFailure(summary[:300], code if isinstance(code, str) else None)


def remote_contexts(document: object, *, limit: int = 100_000) -> list[str]:
    """Every string `@context` or `@import` reference in the document that is not schema.org.

    Checked before pyld runs, so that relative references (which pyld rejects before asking the
    loader) are named too. `limit` bounds the walk (nodes visited).
    """
    found: list[str] = []
    stack: list[object] = [document]
    visited = 0
    while stack and visited < limit:
        item = stack.pop()
        visited += 1
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ("@context", "@import"):
                    refs = value if isinstance(value, list) else [value]
                    found.extend(r for r in refs if isinstance(r, str) and not is_schema_context_url(r))
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return list(dict.fromkeys(found))


def _offline(call: Callable[[dict[str, Any]], Any]) -> Any:
    """Run one pyld call with the offline loader; every failure becomes one of our two errors."""
    loader = OfflineLoader()
    scope = _IN_OUR_CALL.set(True)
    try:
        result = call(_options(loader))
    except RecursionError as exc:
        raise JsonLdFailure("document too deeply nested for JSON-LD processing") from exc
    except Exception as exc:  # pyld raises KeyError, TypeError, ... on odd input
        raise _failure(exc, loader) from exc
    finally:
        _IN_OUR_CALL.reset(scope)
    if loader.refused:  # a refused context inside a construct pyld chose to ignore
        raise RemoteContextError(loader.refused[0])
    return result


def flatten(document: dict[str, Any] | list[Any]) -> list[dict[str, Any]]:
    """The document flattened (expanded IRIs, one node object per node, blank nodes labelled).

    Raises `RemoteContextError` or `JsonLdFailure`; never anything else.
    """
    refs = remote_contexts(document)
    if refs:
        raise RemoteContextError(refs[0])
    result = _offline(lambda options: jsonld.flatten(document, None, options))
    if not isinstance(result, list):
        return []
    return [node for node in result if isinstance(node, dict)]


def expand(document: dict[str, Any] | list[Any]) -> list[Any]:
    """The document expanded; same errors as `flatten`."""
    result = _offline(lambda options: jsonld.expand(document, options))
    return result if isinstance(result, list) else []


def to_nquads(document: dict[str, Any] | list[Any]) -> str:
    """The document as N-Quads (pyld's RDF conversion, offline); same errors as `flatten`."""
    result = _offline(lambda options: jsonld.to_rdf(document, {**options, "format": "application/n-quads"}))
    return result if isinstance(result, str) else ""
