"""A finding as rows of the store, and back.

The `findings` row holds the scalar fields, the columns of the report order and the tie-break
(`Rank`), and the capsules, claims and evidence as lists, unless they hold more than
`INLINE_WIDTH` entries: then they are rows of `finding_capsules`, `finding_claims` and
`finding_evidence` (`store.schema`), one per entry, so that no row grows with the size of the
group a finding names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from capsule_audit.models.claims import Binding
from capsule_audit.models.findings import HEAD_CAPSULES, Evidence, Finding, Severity
from capsule_audit.models.unvalidated import build
from capsule_audit.rules import construct
from capsule_audit.rules.engine import finding_sort_key
from capsule_audit.store.database import rows_table
from capsule_audit.store.rebuilt import span_of
from capsule_audit.store.schema import FINDING_CAPSULES, FINDING_CLAIMS, FINDING_EVIDENCE, FINDINGS

Rank = tuple[int, str, str, int, int]
"""The tie-break: (0, '', '', seq, 0) stream, (1, kind, key, seq, 0) group, (2, '', '', capsule, n) follow-up."""

CAPSULES_HEAD = HEAD_CAPSULES
"""Capsules kept in the `findings` row for the report order (`store.findings`) and its one-line
listing (`FindingLine.head`, read without the list)."""


def tail_digest(capsules: tuple[str, ...]) -> str:
    """'' for a list of at most `CAPSULES_HEAD`, else a digest of the whole list (the order's last resort)."""
    if len(capsules) <= CAPSULES_HEAD:
        return ""
    return hashlib.blake2b("\x00".join(capsules).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


INLINE_WIDTH = 256
"""The most list entries (capsules, claims, evidence) a `findings` row holds itself."""

FIELDS = "f.rule, f.name, f.severity, f.message, f.key, f.location, f.fingerprint, f.baseline"
"""The scalar columns a Finding is rebuilt from (`finding_of`), in its argument order."""


def is_inline(n_capsules: int, n_claims: int, n_evidence: int) -> bool:
    """Whether a finding with lists this long keeps them in its own row."""
    return n_capsules + n_claims + n_evidence <= INLINE_WIDTH


@dataclass(frozen=True, slots=True)
class FindingRows:
    """One finding as rows: its `findings` row and the rows of its three lists (none if inline)."""

    finding: tuple[Any, ...]
    capsules: list[tuple[int, int, str]]
    claims: list[tuple[int, int, str]]
    evidence: list[tuple[Any, ...]]


def _span(span: Any) -> tuple[int, int] | None:
    return None if span is None else (span.start, span.end)


def finding_rows(number: int, rank: Rank, f: Finding) -> FindingRows:
    """The rows of finding `number` (its id in the store), filed with tie-break `rank`."""
    where = f.location
    _, key, _, field, span, file, line, pointer, _ = finding_sort_key(f)
    row = (
        number,
        key,
        list(f.capsules[:CAPSULES_HEAD]),
        tail_digest(f.capsules),
        field,
        span,
        file,
        line,
        pointer,
        *rank,
        f.rule,
        f.name,
        f.severity.value,
        f.message,
        f.key,
        (
            where.file,
            where.line,
            where.pointer,
            where.field,
            _span(where.span),
            where.capsule,
            _span(where.span_utf16),
            where.text,
        ),
        f.fingerprint,
        f.baseline,
        len(f.capsules),
        len(f.claims),
        len(f.evidence),
    )
    if is_inline(len(f.capsules), len(f.claims), len(f.evidence)):
        return FindingRows(
            (*row, list(f.capsules), list(f.claims), [_evidence(e) for e in f.evidence]), [], [], []
        )
    # A wide finding's rows are built once each (a title shared by 1,000,000 capsules: as many
    # evidence rows), not as entries first and then as rows.
    return FindingRows(
        (*row, [], [], []),
        [(number, pos, capsule) for pos, capsule in enumerate(f.capsules)],
        [(number, pos, claim) for pos, claim in enumerate(f.claims)],
        [(number, pos, *_evidence(e)) for pos, e in enumerate(f.evidence)],
    )


def _evidence(e: Evidence) -> tuple[Any, ...]:
    """An evidence entry as the values of its struct (`FINDING_EVIDENCE` less id and pos)."""
    return (
        e.capsule,
        e.text,
        _span(e.span),
        None if e.binding is None else e.binding.value,
        e.claim,
        _span(e.span_utf16),
        e.sentence,
        _span(e.sentence_span),
        _span(e.sentence_span_utf16),
    )


FINDING_TABLES = {
    "findings": FINDINGS,
    "finding_capsules": FINDING_CAPSULES,
    "finding_claims": FINDING_CLAIMS,
    "finding_evidence": FINDING_EVIDENCE,
}
"""The tables a finding's rows go to, by name."""


def finding_tables(filed: Sequence[FindingRows]) -> dict[str, pa.Table]:
    """The rows of `filed` as Arrow tables, one per `FINDING_TABLES` entry."""
    rows = (
        [f.finding for f in filed],
        [e for f in filed for e in f.capsules],
        [e for f in filed for e in f.claims],
        [e for f in filed for e in f.evidence],
    )
    return {
        name: rows_table(schema, entries)
        for (name, schema), entries in zip(FINDING_TABLES.items(), rows, strict=True)
    }


def evidence_of(e: dict[str, Any]) -> Evidence:
    """An evidence struct as the store returns it (a dict), as Evidence."""
    return construct.evidence(
        e["capsule"],
        e["text"],
        span_of(e["span"]),
        None if e["binding"] is None else Binding(e["binding"]),
        e["claim"],
        span_of(e["span_utf16"]),
        e["sentence"],
        span_of(e["sentence_span"]),
        span_of(e["sentence_span_utf16"]),
    )


def finding_of(
    row: Sequence[Any], capsules: tuple[str, ...], claims: tuple[str, ...], evidence: tuple[Evidence, ...]
) -> Finding:
    """The `FIELDS` columns of a row and its lists, as a Finding."""
    rule, name, severity, message, key, where, fingerprint, baseline = row
    location = construct.location(
        where["file"],
        where["line"],
        where["pointer"],
        where["field"],
        span_of(where["span"]),
        where["capsule"],
        span_of(where["span_utf16"]),
        where["text"],
    )
    # Not `construct.finding`: that is the engine's, before any baseline mark; this one has it.
    return build(
        Finding,
        {
            "rule": rule,
            "name": name,
            "severity": Severity(severity),
            "message": message,
            "capsules": capsules,
            "claims": claims,
            "key": key,
            "location": location,
            "evidence": evidence,
            "fingerprint": fingerprint,
            "baseline": baseline,
        },
    )
