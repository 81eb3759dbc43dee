"""Per-capsule joins on disk: the heads of each capsule's findings for the FOLLOW_UP rules, and
the report's capsule entries.

Both need, for every capsule, the findings (and claims) that name it. Instead of a dict of lists
over the whole dump, rows `(capsule, ...)` are sorted on disk and merged with the capsules
sorted by (id, input position): a sort-merge join, as a database does it past its memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.report import CapsuleEntry
from capsule_audit.rules.base import CapsuleMeta, FindingHead
from capsule_audit.rules.engine import Engine
from capsule_audit.store.findings import Ranked, finding_spool
from capsule_audit.store.spool import SortedSpool, Workspace

MetaRow = tuple[str, int, CapsuleMeta]
"""A capsule's id, its position in the input, its metadata."""
Row = tuple[Any, ...]
"""A join row: the capsule id first."""


def meta_spool(workspace: Workspace) -> SortedSpool[MetaRow]:
    """Capsules sorted by (id, input position)."""
    return SortedSpool(workspace, lambda row: (row[0], row[1]))


def row_spool(workspace: Workspace) -> SortedSpool[Row]:
    """Join rows sorted by their whole tuple (capsule id first)."""
    return SortedSpool(workspace, lambda row: row)


def join(metas: Iterable[MetaRow], rows: Iterable[Row]) -> Iterator[tuple[MetaRow, list[Row]]]:
    """Each capsule with the rows naming its id (rows for unknown ids are skipped)."""
    pending = iter(rows)
    row = next(pending, None)
    current: str | None = None
    own: list[Row] = []
    for meta in metas:
        if meta[0] != current:
            current, own = meta[0], []
            while row is not None and row[0] < current:
                row = next(pending, None)
            while row is not None and row[0] == current:
                own.append(row)
                row = next(pending, None)
        yield meta, own


def follow_up(
    engine: Engine, metas: Iterable[MetaRow], first: Iterable[Finding], workspace: Workspace
) -> SortedSpool[Ranked]:
    """FOLLOW_UP findings, each capsule given the heads of the first-pass findings that name it.

    `first` is in report order; rows `(capsule, seq, rule, severity, key)` are joined to the
    capsules, so a finding naming thousands of capsules is read once, not once per capsule.
    """
    found = finding_spool(workspace)
    if not engine.has_follow_up:
        return found
    rows = row_spool(workspace)
    for seq, finding in enumerate(first):
        head = (finding.rule, finding.severity.value, finding.key)
        for capsule in finding.capsules:
            rows.add((capsule, seq, *head))
    # The tie-break keeps the follow-ups of capsules sharing an id in input order (metas are
    # in (id, position) order).
    for number, ((_, _, meta), own) in enumerate(join(metas, rows)):
        heads: dict[int, FindingHead] = {}  # by seq: one head per finding, in report order
        for row in own:
            heads.setdefault(row[1], FindingHead(row[2], Severity(row[3]), row[4]))
        for n, f in enumerate(engine.follow_up_capsule(meta, tuple(heads.values()))):
            found.add(((2, number, n), f))
    return found


def entry_rows(
    final: Iterable[Finding], claims: Iterable[tuple[str, str]], workspace: Workspace
) -> SortedSpool[Row]:
    """Rows (capsule, 0, n, claim id) and (capsule, 1, n, fingerprint, severity), both in report order."""
    rows = row_spool(workspace)
    for n, (capsule, claim_id) in enumerate(claims):
        rows.add((capsule, 0, n, claim_id))
    for n, f in enumerate(final):
        for capsule in f.capsules:
            rows.add((capsule, 1, n, f.fingerprint, f.severity.value))
    return rows


def entries(
    metas: Iterable[MetaRow], rows: Iterable[Row], workspace: Workspace
) -> SortedSpool[tuple[int, CapsuleEntry]]:
    """One entry per capsule, keyed by input position (iterate for input order)."""
    out: SortedSpool[tuple[int, CapsuleEntry]] = SortedSpool(workspace, lambda item: item[0])
    for (_, ordinal, meta), own in join(metas, rows):
        claim_ids = tuple(row[3] for row in own if row[1] == 0)
        found = [row for row in own if row[1] == 1]
        worst = max((Severity(row[4]) for row in found), key=lambda s: s.rank, default=None)
        entry = CapsuleEntry(
            id=meta.id,
            source=meta.source,
            name=meta.name,
            date=meta.date_created,
            kind=meta.kind,
            status=worst.value if worst is not None else "clean",
            claims=claim_ids,
            findings=tuple(row[3] for row in found),
        )
        out.add((ordinal, entry))
    return out
