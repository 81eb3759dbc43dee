"""Loading: paths, directories, stdin and URLs to parsed JSON documents, text pages or rejections."""

from capsule_audit.loading.documents import Document, JsonDocument, RejectedDocument, TextDocument
from capsule_audit.loading.sources import configured_documents, iter_documents
from capsule_audit.loading.units import parse_unit

__all__ = [
    "Document",
    "JsonDocument",
    "RejectedDocument",
    "TextDocument",
    "configured_documents",
    "iter_documents",
    "parse_unit",
]
