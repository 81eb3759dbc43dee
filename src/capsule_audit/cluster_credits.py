"""What a cluster's capsules credit to its identifier, counted: the terminal's conflicts table.

A credit is (method label, institutions, binding); the table shows, for each conflicting
identifier, its most widely stated credits with their number of capsules and the first capsule
stating each (in member order). A cluster of a templated dump shares one credit among all of its
capsules, so counting from the rebuilt members cost the text report of a 500-capsule batch
against a 200,000-capsule store as much as its SQL: from the store (`count_credits`) DuckDB counts
them and only the rows shown come back; a cluster held in memory (a report built by the API) is
counted from its members (`credits_of`), ranked the same way.

Labels are the caller's (`label(method, acronym)`): applied once per distinct (method, acronym)
pair of the store's claims, then joined, so that two pairs with one label are one credit either way.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import NamedTuple

import pyarrow as pa

from capsule_audit.clusters import BINDING, MEMBERS, REACH, scope
from capsule_audit.models.report import Cluster
from capsule_audit.store.claim_joins import CLAIM_JOINS, CREDIT_COLUMNS, NEEDED_CLAIMS
from capsule_audit.store.database import Store, rows_table
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


_COUNTED = f"""
WITH {MEMBERS.format(reach=REACH, members="{members}", claims="{claims}")},
ranked AS (
    SELECT m.key, m.capsule, m.doc, m.claim_pos AS pos, m.cit_ix, m.listed,
        row_number() OVER (PARTITION BY m.key ORDER BY {MEMBER_ORDER}) AS place
    FROM m
),
{NEEDED_CLAIMS.format(claims="{claims}", rows="ranked", columns=CREDIT_COLUMNS)},
resolved AS (
    SELECT r.key, r.capsule, r.place, l.label,
        coalesce(array_to_string(c.institutions, ', '), '') AS institutions, {BINDING} AS binding
    FROM ranked r {CLAIM_JOINS}
    JOIN labels l ON c.method.name IS NOT DISTINCT FROM l.method AND c.method.acronym IS NOT DISTINCT FROM l.acronym
),
per_capsule AS (
    SELECT key, label, institutions, binding, capsule, min(place) AS place
    FROM resolved GROUP BY key, label, institutions, binding, capsule
),
credits AS (
    SELECT key, label, institutions, binding, count(*) AS capsules, min(place) AS place,
        arg_min(capsule, place) AS first
    FROM per_capsule GROUP BY key, label, institutions, binding
)
SELECT key, label, institutions, binding, capsules, first, count(*) OVER (PARTITION BY key) AS total
FROM credits
QUALIFY row_number() OVER (PARTITION BY key ORDER BY capsules DESC, place) <= {{rows}}
ORDER BY key, capsules DESC, place
"""
"""Per key, its `rows` most widely stated credits (ties: the one appearing first in member order),
their first capsules, and how many credits it has. The members are numbered in member order by a
sort of their narrow rows; the counts are two aggregations over numbers, not a DISTINCT (which
DuckDB 2.0.1 cannot spill: out of its 256 MB for a 500-capsule batch against 200,000 capsules)."""
_LABELS = pa.schema([("method", pa.string()), ("acronym", pa.string()), ("label", pa.string())])


def count_credits(
    store: Store, keys: Collection[str], label: Label, rows: int, *, with_corpus: bool = False
) -> dict[str, Credits]:
    """The credits of the store's clusters of `keys` (`iter_clusters`' members), counted in SQL."""
    cursor = store.con.cursor()
    try:
        claims = "all_claims" if with_corpus else "claims"
        # Every (method, acronym) pair of the store's claims, and none (a member without a claim):
        # a few columns of one scan, and a label call per distinct pair.
        stated = cursor.execute(f"SELECT DISTINCT method.name, method.acronym FROM {claims}").fetchall()
        pairs: set[tuple[str | None, str | None]] = {*stated, (None, None)}
        labels = [(method, acronym, label(method, acronym)) for method, acronym in pairs]
        cursor.register("labels", rows_table(_LABELS, labels))
        query = _COUNTED.format(claims=claims, rows=rows, **scope(cursor, with_corpus, keys))
        counted: dict[str, list[CreditCount]] = {}
        totals: dict[str, int] = {}
        for key, *credit, total in cursor.execute(query).fetchall():
            counted.setdefault(key, []).append(CreditCount(*credit))
            totals[key] = total
        return {key: Credits(tuple(shown), totals[key]) for key, shown in counted.items()}
    finally:
        cursor.close()


def credits_of(cluster: Cluster, label: Label, rows: int) -> Credits:
    """The credits of a cluster held in memory, ranked as `count_credits` ranks them."""
    # Each credit's capsules in order of first appearance (a dict: a cluster of the whole dump
    # shares one credit among 100,000s of capsules; a list's membership test was quadratic).
    found: dict[tuple[str, str, str], dict[str, None]] = {}
    for m in cluster.members:
        credit = (label(m.method, m.acronym), ", ".join(m.institutions), m.binding.value)
        found.setdefault(credit, {})[m.capsule] = None
    ranked = sorted(found.items(), key=lambda item: -len(item[1]))  # stable: first appearance on ties
    shown = tuple(
        CreditCount(*credit, len(capsules), next(iter(capsules))) for credit, capsules in ranked[:rows]
    )
    return Credits(shown, len(ranked))
