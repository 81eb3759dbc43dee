"""What a cluster's capsules credit to its identifier, counted: the terminal's conflicts table.

A credit is (method label, institutions, binding); the table shows, for each conflicting
identifier, its most widely stated credits with their number of capsules and the first capsule
stating each (in member order). A cluster of a templated dump shares one credit among all of its
capsules, so counting from the rebuilt members cost the text report of a 500-capsule batch
against a 200,000-capsule store as much as its SQL: from the store (`count_credits`) DuckDB counts
them and only the rows shown come back; a cluster held in memory (a report built by the API) is
counted from its members (`credits_of`), ranked the same way.

Labels are the caller's (`label(method, acronym)`): applied once per distinct (method, acronym)
pair the clusters hold, then joined, so that two pairs with one label are one credit either way.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import NamedTuple

import pyarrow as pa

from capsule_audit.clusters import BINDING, CLAIM_JOINS, MEMBERS, REACH, scope
from capsule_audit.models.report import Cluster
from capsule_audit.store.database import Store
from capsule_audit.store.groups import MEMBER_ORDER

Label = Callable[[str | None, str | None], str]
"""A credit's method label from a claim's method name and acronym (either may be missing)."""


class CreditCount(NamedTuple):
    """One credit of a cluster: its label, institutions (', '-joined), binding, how many capsules
    state it, and the first of them."""

    label: str
    institutions: str
    binding: str
    capsules: int
    first: str


class Credits(NamedTuple):
    """A cluster's most widely stated credits (at most the number asked for) and how many it has."""

    shown: tuple[CreditCount, ...]
    total: int


_RESOLVED = f"""
CREATE TEMP TABLE {{table}} AS
WITH {MEMBERS.format(reach=REACH, members="{members}", claims="{claims}")},
ranked AS (
    SELECT m.key, m.capsule, m.doc, m.claim_pos AS pos, m.cit_ix, m.listed,
        row_number() OVER (PARTITION BY m.key ORDER BY {MEMBER_ORDER}) AS place
    FROM m
)
SELECT r.key, r.capsule, r.place, c.method.name AS method, c.method.acronym AS acronym,
    coalesce(array_to_string(c.institutions, ', '), '') AS institutions, {BINDING} AS binding
FROM ranked r {CLAIM_JOINS}
"""
"""Each member of the clusters asked for: its capsule, place in member order, claim's method,
institutions and binding."""
_COUNTED = """
WITH credits AS (
    SELECT r.key, l.label, r.institutions, r.binding, count(DISTINCT r.capsule) AS capsules,
        min(r.place) AS place, arg_min(r.capsule, r.place) AS first
    FROM {table} r JOIN labels l
        ON r.method IS NOT DISTINCT FROM l.method AND r.acronym IS NOT DISTINCT FROM l.acronym
    GROUP BY r.key, l.label, r.institutions, r.binding
)
SELECT key, label, institutions, binding, capsules, first, count(*) OVER (PARTITION BY key) AS total
FROM credits
QUALIFY row_number() OVER (PARTITION BY key ORDER BY capsules DESC, place) <= {rows}
ORDER BY key, capsules DESC, place
"""
"""Per key, its `rows` most widely stated credits, ties by first appearance, and how many it has."""
_LABELS = pa.schema([("method", pa.string()), ("acronym", pa.string()), ("label", pa.string())])


def count_credits(
    store: Store, keys: Collection[str], label: Label, rows: int, *, with_corpus: bool = False
) -> dict[str, Credits]:
    """The credits of the store's clusters of `keys` (`iter_clusters`' members), counted in SQL."""
    table = "cluster_credits"
    cursor = store.con.cursor()
    try:
        claims = "all_claims" if with_corpus else "claims"
        cursor.execute(_RESOLVED.format(table=table, claims=claims, **scope(cursor, with_corpus, keys)))
        pairs = cursor.execute(f"SELECT DISTINCT method, acronym FROM {table}").fetchall()
        methods, acronyms = (list(column) for column in zip(*pairs, strict=True)) if pairs else ([], [])
        names = [label(method, acronym) for method, acronym in pairs]
        cursor.register(
            "labels",
            pa.Table.from_arrays(
                [pa.array(c, pa.string()) for c in (methods, acronyms, names)], schema=_LABELS
            ),
        )
        counted: dict[str, list[CreditCount]] = {}
        totals: dict[str, int] = {}
        for key, *credit, total in cursor.execute(_COUNTED.format(table=table, rows=rows)).fetchall():
            counted.setdefault(key, []).append(CreditCount(*credit))
            totals[key] = total
        return {key: Credits(tuple(found), totals[key]) for key, found in counted.items()}
    finally:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.close()


def credits_of(cluster: Cluster, label: Label, rows: int) -> Credits:
    """The credits of a cluster held in memory, ranked as `count_credits` ranks them."""
    # Each credit's capsules in order of first appearance (a dict: a cluster of the whole dump
    # shares one credit among 100,000s of capsules; a list's membership test was quadratic).
    found: dict[tuple[str, str, str], dict[str, None]] = {}
    for m in cluster.members:
        credit = (label(m.method, m.acronym), ", ".join(m.institutions), m.binding.value)
        found.setdefault(credit, {})[m.capsule] = None
    ranked: Sequence[tuple[tuple[str, str, str], dict[str, None]]] = sorted(
        found.items(), key=lambda item: -len(item[1])
    )
    shown = tuple(
        CreditCount(*credit, len(capsules), next(iter(capsules))) for credit, capsules in ranked[:rows]
    )
    return Credits(shown, len(ranked))
