"""The store's finding path for tests: file findings (and capsules), read the final ones back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

from capsule_audit.models.findings import Finding
from capsule_audit.rules.base import CapsuleMeta
from capsule_audit.rules.engine import Engine
from capsule_audit.store import groups as store_groups
from capsule_audit.store.capsules import CapsuleTable
from capsule_audit.store.collect import final_findings
from capsule_audit.store.database import Store
from capsule_audit.store.findings import FindingTable
from capsule_audit.store.group_batches import GroupBatch


def final(engine: Engine, findings: Iterable[Finding], metas: Iterable[CapsuleMeta] = ()) -> list[Finding]:
    """What an audit reports of these findings (filed in this order) and capsules (in input order)."""
    store = Store()
    try:
        capsules, table = CapsuleTable(store), FindingTable(store)
        for doc, meta in enumerate(metas, 1):
            capsules.add(doc, meta)
        for seq, f in enumerate(findings):
            table.add((0, "", "", seq, 0), f)
        return list(final_findings(engine, capsules, table))
    finally:
        store.close()


def scanned_column(monkeypatch: pytest.MonkeyPatch, column: str) -> list[Any]:
    """The `column` of every member row the group scan hands on from now on, filled as it is read
    (the scan's batches as `store.groups` cuts them: what the SQL wanted, nothing else)."""
    seen: list[Any] = []

    def spying(real_cut: Callable[..., Iterator[GroupBatch]]) -> Callable[..., Iterator[GroupBatch]]:
        def spying_cut(*args: Any) -> Iterator[GroupBatch]:
            for batch in real_cut(*args):
                seen.extend(batch.members.column(column).to_pylist())
                yield batch

        return spying_cut

    # Member scans and METHOD credit scans (`store.method_scan`) alike.
    for name in ("cut", "cut_credits"):
        monkeypatch.setattr(store_groups, name, spying(getattr(store_groups, name)))
    return seen
