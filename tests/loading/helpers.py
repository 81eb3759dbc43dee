"""Shared helpers for the loading tests."""

from __future__ import annotations

import io
from pathlib import Path

from capsule_audit.config import Limits
from capsule_audit.loading import Document, RejectedDocument, iter_documents
from tests.conftest import FIXTURES

LOADING = FIXTURES / "loading"


def load(*paths: str | Path, limits: Limits | None = None, stdin: bytes | None = None) -> list[Document]:
    """Every document of the inputs, as a list."""
    return list(
        iter_documents(
            [str(p) for p in paths],
            limits or Limits(),
            stdin=io.BytesIO(stdin) if stdin is not None else None,
        )
    )


def rule_of(document: Document) -> str | None:
    """The finding's code for a rejection, None for a parsed document."""
    return document.finding.rule if isinstance(document, RejectedDocument) else None


def kinds(documents: list[Document]) -> list[str]:
    """'json', 'text' or the rejection's rule code, per document."""
    out = []
    for doc in documents:
        code = rule_of(doc)
        out.append(code or ("text" if type(doc).__name__ == "TextDocument" else "json"))
    return out
