"""Command-line inputs to documents: files, directories (recursive, sorted), `-` (stdin), URLs.

Which files of a directory are read, and how symbolic links are treated: `loading.walk`.
"""

from __future__ import annotations

import io
import os
import posixpath
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO

from capsule_audit.config import AuditConfig, Limits
from capsule_audit.errors import CapsuleAuditError, UsageError
from capsule_audit.loading.documents import Document
from capsule_audit.loading.formats import Hint, iter_stream
from capsule_audit.loading.rejects import over_limit_doc, unreadable_doc
from capsule_audit.loading.streams import FileTooLargeError, open_stream
from capsule_audit.loading.walk import Walk
from capsule_audit.models.records import SourceRef

__all__ = ["configured_documents", "iter_documents"]

_HINTS: dict[str, Hint] = {
    ".json": "json",
    ".jsonld": "json",
    ".jsonl": "ndjson",
    ".ndjson": "ndjson",
    ".md": "text",
}


def configured_documents(
    paths: Sequence[str],
    config: AuditConfig,
    *,
    stdin: BinaryIO | None = None,
    fetch_url: Callable[[str], bytes] | None = None,
) -> Iterator[Document]:
    """`iter_documents` under an audit's configuration (limits, `exclude`, link policy)."""
    return iter_documents(
        paths,
        config.limits,
        stdin=stdin,
        fetch_url=fetch_url,
        exclude=config.exclude,
        follow_links=config.follow_links,
    )


def iter_documents(
    paths: Sequence[str],
    limits: Limits,
    *,
    stdin: BinaryIO | None = None,
    fetch_url: Callable[[str], bytes] | None = None,
    exclude: Sequence[str] = (),
    follow_links: bool = False,
) -> Iterator[Document]:
    """Every document unit of every input, in argument order, streamed.

    Directories are walked by `loading.walk.Walk` with the `exclude` globs and link policy.

    Raises `UsageError` at once (before any document) for a path that does not exist or a URL
    without `fetch_url`; every problem with the content itself is a RejectedDocument.
    """
    for arg in paths:
        if _is_url(arg):
            if fetch_url is None:
                raise UsageError(f"{arg}: URLs are read only in online mode")
        elif arg != "-" and not os.path.exists(arg):
            raise UsageError(f"{arg}: no such file or directory")
    return _iterate(paths, limits, stdin, fetch_url, Walk(paths, exclude, follow_links=follow_links))


def _is_url(arg: str) -> bool:
    return arg.startswith(("http://", "https://"))


def _iterate(
    paths: Sequence[str],
    limits: Limits,
    stdin: BinaryIO | None,
    fetch_url: Callable[[str], bytes] | None,
    walk: Walk,
) -> Iterator[Document]:
    for arg in paths:
        if arg == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read(arg, _given(stream), limits, close=False)
        elif _is_url(arg):
            assert fetch_url is not None  # checked by iter_documents
            yield from _read(arg, _fetcher(fetch_url, arg), limits)
        elif os.path.isdir(arg):
            for path, real, problem in walk.files(arg):
                if real is None:
                    yield unreadable_doc(SourceRef(path=path), problem, identity=path)
                else:
                    yield from _read(path, _opener(real), limits)
        else:
            yield from _read(arg, _opener(arg), limits)


def _opener(path: str) -> Callable[[], BinaryIO]:
    return lambda: open(path, "rb")  # closed by _read


def _given(stream: BinaryIO) -> Callable[[], BinaryIO]:
    return lambda: stream


def _fetcher(fetch_url: Callable[[str], bytes], url: str) -> Callable[[], BinaryIO]:
    return lambda: io.BytesIO(fetch_url(url))


def _hint(path: str) -> Hint:
    base = path[:-3] if path.endswith(".gz") else path
    return _HINTS.get(posixpath.splitext(base.split("?", 1)[0])[1].lower())


def _read(
    path: str, opener: Callable[[], BinaryIO], limits: Limits, *, close: bool = True
) -> Iterator[Document]:
    """The documents of one input; a read error ends that input with one CA001, not the batch."""
    source = SourceRef(path=path)
    try:
        inner = opener()
    except CapsuleAuditError:
        raise  # e.g. the network is off: a tool error, not a property of the input
    except Exception as exc:  # any failure to open or fetch is a finding on this input
        yield unreadable_doc(source, f"cannot read: {_reason(exc)}", identity=path)
        return
    try:
        yield from iter_stream(open_stream(inner, limits.max_file_bytes), path, limits, _hint(path))
    except FileTooLargeError as exc:
        yield over_limit_doc(source, str(exc), identity=path)
    except (OSError, EOFError, zlib.error) as exc:
        yield unreadable_doc(source, f"cannot read: {_reason(exc)}", identity=path)
    finally:
        if close:
            inner.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
