"""The store's finding path for tests: file findings (and capsules), read the final ones back."""

from __future__ import annotations

from collections.abc import Iterable

from capsule_audit.models.findings import Finding
from capsule_audit.rules.base import CapsuleMeta
from capsule_audit.rules.engine import Engine
from capsule_audit.store.capsules import CapsuleTable
from capsule_audit.store.collect import final_findings
from capsule_audit.store.database import Store
from capsule_audit.store.findings import FindingTable


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
