"""Turning a loading problem into a RejectedDocument with its CA001/CA005 finding."""

from __future__ import annotations

import hashlib

from capsule_audit.loading.documents import RejectedDocument
from capsule_audit.models.records import SourceRef
from capsule_audit.rules.base import Rule
from capsule_audit.rules.input import over_limit, unreadable_input
from capsule_audit.rules.stamp import input_finding

__all__ = ["content_identity", "escape_pointer", "over_limit_doc", "unreadable_doc"]


def content_identity(raw: bytes) -> str:
    """Fingerprint identity from the unit's bytes: stable when the dump is reordered or renamed."""
    return hashlib.sha256(raw).hexdigest()


def escape_pointer(token: str | int) -> str:
    """One RFC 6901 reference token, escaped ('~' first, then '/')."""
    return str(token).replace("~", "~0").replace("/", "~1")


def _reject(
    rule_: Rule, source: SourceRef, message: str, identity: str, pointer: str | None
) -> RejectedDocument:
    finding = input_finding(rule_, source, message, identity=identity, pointer=pointer)
    return RejectedDocument(source=source, finding=finding)


def unreadable_doc(
    source: SourceRef, message: str, *, identity: str, pointer: str | None = None
) -> RejectedDocument:
    """CA001: the unit cannot be read, decoded or parsed."""
    return _reject(unreadable_input, source, message, identity, pointer)


def over_limit_doc(
    source: SourceRef, message: str, *, identity: str, pointer: str | None = None
) -> RejectedDocument:
    """CA005: the unit breaks an input limit (size, depth, NaN/Infinity, big integer, duplicate key)."""
    return _reject(over_limit, source, message, identity, pointer)
