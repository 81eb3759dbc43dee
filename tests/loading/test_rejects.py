"""Rejections: the finding's code, location and content-derived identity."""

from __future__ import annotations

from capsule_audit.loading.rejects import content_identity, escape_pointer, over_limit_doc, unreadable_doc
from capsule_audit.models.records import SourceRef


def test_pointer_tokens_are_escaped_tilde_first() -> None:
    assert escape_pointer("a/b~c") == "a~1b~0c"
    assert escape_pointer("~1") == "~01"
    assert escape_pointer(3) == "3"


def test_rejections_carry_their_code_and_location() -> None:
    source = SourceRef(path="d.jsonl", line=4, index=3)
    unreadable = unreadable_doc(source, "bad", identity=content_identity(b"x"))
    limit = over_limit_doc(source, "big", identity=content_identity(b"x"), pointer="/a")
    assert (unreadable.finding.rule, unreadable.finding.location.line) == ("CA001", 4)
    assert (limit.finding.rule, limit.finding.location.pointer) == ("CA005", "/a")
    assert unreadable.source == limit.source == source
