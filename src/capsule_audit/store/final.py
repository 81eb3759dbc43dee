"""The final findings: those filed, in report order, de-duplicated and suppressed, settled in SQL.

`settle` numbers the filed findings in report order (`FindingTable.number_the_order`, a narrow
sort) and keeps in a table `final(n, id, rule, name, severity, key, fingerprint)` those the
report lists:
- de-duplicated: findings of one rule sharing a fingerprint share key and capsules (the
  fingerprint hashes them), so they are equal findings; the first of each in report order
  (lowest `n`; of equal findings, the first filed) is kept. Input findings (CA0xx) are never de-duplicated: each
  stands for one rejected document.
- less the suppressed ones: those an accepted entry of the configuration covers (the SQL of
  `rules.selection.suppresses`).

The counts, the conflicted keys, the follow-up pass's heads and the capsule entries' rows are
queries on `final`: no finding is rebuilt for them. A read rebuilds the final findings (all, or
those of one severity) in report order: `final` ordered by `n` is narrow, and the rows are
looked up by runs (`store.finding_reads`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pyarrow as pa

from capsule_audit.clusters import CONFLICT_PREFIX
from capsule_audit.config import Suppression
from capsule_audit.models.findings import HEAD_CAPSULES, Finding, FindingLine, Severity
from capsule_audit.rules.base import Scope
from capsule_audit.rules.registry import BUILTIN_RULES
from capsule_audit.store.database import Store
from capsule_audit.store.finding_reads import read_findings, read_lines
from capsule_audit.store.findings import FindingTable

INPUT_CODES = frozenset(r.code for r in BUILTIN_RULES if r.scope is Scope.INPUT)
"""Input findings (CA0xx) are never de-duplicated: each stands for one rejected document."""

ACCEPTED = pa.schema(
    [("code", pa.string()), ("rule", pa.string()), ("capsule", pa.string()), ("key", pa.string())]
)
_SUPPRESSED = """
EXISTS (SELECT 1 FROM accepted s WHERE (s.code = f.rule OR s.rule = f.name)
    AND (s.key IS NULL OR s.key = f.key)
    AND (s.capsule IS NULL OR list_contains(f.capsules, s.capsule)
        OR EXISTS (SELECT 1 FROM finding_capsules c WHERE c.id = f.id AND c.capsule = s.capsule)))
"""
# The first of equal findings is the least `n` of its (rule, fingerprint): a hash aggregate of
# narrow rows, into a table of its own (in one statement with the join below it ran out of a
# small memory limit). A window partitioned by the order's columns materialized them
# (1,000,000 capsules, 2.67M findings: 725 MiB spilled and 10.2 s; this way 183 MiB and 6.1 s).
_FIRSTS = """
CREATE TABLE {firsts} AS SELECT min(o.n) AS n FROM {order} o JOIN findings f ON f.id = o.id
WHERE f.rule NOT IN ({input_codes}) GROUP BY f.rule, f.fingerprint
"""
_FINAL = """
CREATE TABLE {final} AS
SELECT o.n, f.id, f.rule, f.name, f.severity, f.key, f.fingerprint,
    1 + f.n_capsules + f.n_claims + f.n_evidence AS width
FROM {order} o JOIN findings f ON f.id = o.id
WHERE NOT {suppressed} AND (f.rule IN ({input_codes}) OR o.n IN (SELECT n FROM {firsts}))
"""
# The capsules of every finding: inline lists unnested, wide findings' rows as filed.
_CAPSULES = (
    "SELECT id, unnest(capsules) AS capsule FROM findings UNION ALL SELECT id, capsule FROM finding_capsules"
)
_CAPSULE_ROWS = (
    f"SELECT e.capsule, fi.n, fi.rule, fi.severity, fi.key, fi.fingerprint"
    f" FROM {{final}} fi JOIN ({_CAPSULES}) e ON e.id = fi.id"
)

_names = itertools.count(1)


class FinalFindings:
    """The report's findings, settled in the store (see module doc); re-readable."""

    def __init__(self, table: FindingTable, suppressions: Sequence[Suppression]) -> None:
        self.table = table
        self.suppressions = tuple(suppressions)
        self._settled = -1  # findings filed when `final` was made
        self._final = ""

    @property
    def store(self) -> Store:
        return self.table.store

    def settle(self) -> str:
        """The table of the final findings, made anew if findings were filed since the last."""
        self.table.flush()
        if self._settled == self.table.filed:
            return self._final
        self._drop()
        order, self._final = f"finding_order_{next(_names)}", f"final_findings_{next(_names)}"
        cursor = self.store.con.cursor()
        try:
            self.table.number_the_order(order)
            suppressed = "false"
            if self.suppressions:
                cursor.register("accepted", _accepted(self.suppressions))
                suppressed = _SUPPRESSED
            codes = ", ".join(f"'{code}'" for code in sorted(INPUT_CODES))
            firsts = f"{order}_firsts"
            cursor.execute(_FIRSTS.format(firsts=firsts, order=order, input_codes=codes))
            cursor.execute(
                _FINAL.format(
                    final=self._final, order=order, firsts=firsts, suppressed=suppressed, input_codes=codes
                )
            )
        finally:
            cursor.close()
            _rows(self.store, f"DROP TABLE IF EXISTS {order}_firsts; DROP TABLE {order}")
        self._settled = self.table.filed
        return self._final

    def capsule_rows(self) -> str:
        """A query of (capsule, n, rule, severity, key, fingerprint): one row per capsule of each final
        finding, `n` its place in report order (the follow-up heads, the capsule entries)."""
        return _CAPSULE_ROWS.format(final=self.settle())

    def counts(self) -> tuple[dict[str, int], dict[str, int], set[str]]:
        """Counts per severity (each listed) and per rule (sorted), and the keys of conflict findings."""
        per_severity = {s.value: 0 for s in Severity}
        by_rule: dict[str, int] = {}
        for (severity, rule, _), n in self.rule_counts().items():
            per_severity[severity.value] += n
            by_rule[rule] = by_rule.get(rule, 0) + n
        conflicted = _rows(
            self.store,
            f"SELECT DISTINCT key FROM {self.settle()} WHERE key <> '' AND starts_with(rule, ?)",
            [CONFLICT_PREFIX],
        )
        return per_severity, dict(sorted(by_rule.items())), {key for (key,) in conflicted}

    def rule_counts(self) -> dict[tuple[Severity, str, str], int]:
        """The number of final findings per (severity, rule, name)."""
        final = self.settle()
        rows = _rows(
            self.store, f"SELECT severity, rule, name, count(*) FROM {final} GROUP BY ALL ORDER BY ALL"
        )
        return {(Severity(severity), rule, name): n for severity, rule, name, n in rows}

    def lines_of_severity(self, severity: Severity) -> Iterable[FindingLine]:
        """The lines of the final findings of one severity, in report order (a re-readable read)."""
        return _LinesOfSeverity(self, severity)

    def __iter__(self) -> Iterator[Finding]:
        return self.read()

    def read(self) -> Iterator[Finding]:
        """The final findings in report order."""
        return read_findings(self.store, f"SELECT id, width FROM {self.settle()} ORDER BY n")

    def lines(self, severity: Severity) -> Iterator[FindingLine]:
        """The lines of the final findings of one severity, in report order: a line reads its
        finding's row, never its lists (its width is at most its head of capsules)."""
        return read_lines(
            self.store,
            f"SELECT id, least(width, {1 + HEAD_CAPSULES}) FROM {self.settle()} WHERE severity = ? ORDER BY n",
            [severity.value],
        )

    def _drop(self) -> None:
        if self._final:
            _rows(self.store, f"DROP TABLE IF EXISTS {self._final}")


def _accepted(suppressions: Sequence[Suppression]) -> pa.Table:
    rows = [(s.rule.upper(), s.rule, s.capsule, s.key) for s in suppressions]
    return pa.Table.from_pylist(
        [dict(zip(ACCEPTED.names, row, strict=True)) for row in rows], schema=ACCEPTED
    )


def _rows(store: Store, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Every row of one statement, run on a cursor of its own (reads may be open on the others)."""
    cursor = store.con.cursor()
    try:
        return cursor.execute(sql, parameters).fetchall()
    finally:
        cursor.close()


class _LinesOfSeverity:
    """The lines of the final findings of one severity: read anew on every iteration."""

    def __init__(self, final: FinalFindings, severity: Severity) -> None:
        self.final = final
        self.severity = severity

    def __iter__(self) -> Iterator[FindingLine]:
        return self.final.lines(self.severity)
