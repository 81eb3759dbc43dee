"""The report's clusters: every identifier cited by more than one capsule, with each one's credit.

One SQL query over the store's citation members and their claims: the keys cited by at least two
distinct capsules, by key, each key's members in the group index's member order (a total order),
so the clusters are the same whatever the input order or `--jobs`. Read on demand, any number of
times: nothing of them is held but the cluster being read.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Iterator
from typing import Any

import duckdb
import pyarrow as pa

from capsule_audit.models.claims import Binding
from capsule_audit.models.findings import Finding
from capsule_audit.models.report import Cluster, ClusterMember
from capsule_audit.models.unvalidated import build
from capsule_audit.store.claim_joins import CLAIM_JOINS, CREDIT_COLUMNS, NEEDED_CLAIMS
from capsule_audit.store.database import Store, rows_table
from capsule_audit.store.groups import MEMBER_ORDER
from capsule_audit.store.rebuilt import figure_of

REACH = """
SELECT key, count(DISTINCT capsule) AS reach FROM {members} WHERE kind = 'citation' {only}
GROUP BY key HAVING count(DISTINCT capsule) >= 2 {touching}
"""
"""The cluster keys (cited by two capsules or more) and the number of capsules citing each."""
MEMBERS = """
shared AS (SELECT key FROM ({reach})),
filed AS (
    SELECT m.key, m.capsule, m.claim_id, m.citation_key, m.digest, m.path, m.idx, m.doc, m.seq,
        m.claim_pos, m.cit_ix, m.citation.binding AS listed
    FROM {members} m SEMI JOIN shared s ON m.key = s.key
    WHERE m.kind = 'citation'
),
held AS (  -- each Source line a claim's row holds for the later claims of its item (`src_from`)
    SELECT doc, pos, unnest([x.key FOR x IN item_sources]) AS key,
        generate_subscripts(item_sources, 1) AS place
    FROM {claims} WHERE len(item_sources) > 0
),
m AS (
    SELECT * FROM filed
    UNION ALL  -- the claims a filed claim stands for (`claims.sharing`): each one a member too
    SELECT f.key, f.capsule, x.id, f.citation_key, f.digest, f.path, f.idx, f.doc, f.seq, x.pos,
        f.cit_ix, f.listed
    FROM filed f JOIN {claims} x ON x.doc = f.doc AND x.cit_from = f.claim_pos
    WHERE f.cit_ix >= 0
    UNION ALL  -- and those sharing its item's Source lines, unless one cites that key itself
    SELECT f.key, f.capsule, x.id, f.citation_key, f.digest, f.path, f.idx, f.doc, f.seq, x.pos,
        -h.place, f.listed
    FROM filed f JOIN held h ON h.doc = f.doc AND h.pos = f.claim_pos AND h.key = f.key
    JOIN {claims} x ON x.doc = f.doc AND x.src_from = f.claim_pos
    ANTI JOIN filed g ON g.doc = x.doc AND g.claim_pos = x.pos AND g.key = f.key
)
"""
"""`WITH` entries defining `m`: the members of the cluster keys (`reach`), one row per (key, claim)
crediting the key: its claim's place (`doc`, `claim_pos`), its citation's (`cit_ix`, below 0 for
one of its item's Source lines) and the binding filed with it (`listed`)."""
_CLUSTERS = f"""
WITH {MEMBERS.format(reach=REACH, members="{members}", claims="{claims}")}
SELECT m.key, m.capsule, m.doc, m.claim_pos, m.cit_ix, m.listed FROM m
ORDER BY m.key, {MEMBER_ORDER}
"""
BINDING = """coalesce(nullif(coalesce(CASE
    WHEN r.cit_ix >= 0 THEN list_extract(coalesce(c.citations, o.citations), r.cit_ix + 1).binding
    WHEN r.cit_ix < 0 THEN list_extract(coalesce(c.item_sources, s.item_sources), -r.cit_ix).binding
END, r.listed), ''), 'listed')"""
"""A member's binding (`r`: its row; `c`, `o`, `s`: `CLAIM_JOINS`): its claim's citation's, else its
item's Source line's, else the one filed with it; 'listed' when none says."""
_CLAIMS = f"""
WITH {NEEDED_CLAIMS.format(claims="{claims}", rows="refs", columns=CREDIT_COLUMNS)}
SELECT r.doc, r.pos, r.cit_ix, r.listed, c.id, c.method.name, c.method.acronym, c.institutions,
    c.figures, {BINDING}
FROM refs r {CLAIM_JOINS}
"""
# As in `store.groups`: the member rows are sorted narrow and their claims looked up per fetched
# batch, since sorting rows that carry the claims' lists needs memory in proportion to them.


REFS = pa.schema([("doc", pa.int64()), ("pos", pa.int32()), ("cit_ix", pa.int32()), ("listed", pa.string())])
"""The member rows' `Ref`s whose claims `_CLAIMS` looks up."""

LOOKUP_ROWS = 65_536
"""Member rows read at a time, their claims looked up in one query: each look-up scans the claims
table (~0.35 s at 200,000 capsules, more through a corpus), and one per 8,192 rows cost the
25 widest clusters of a 200,000-capsule dump 5.8 of their 10.7 CPU-s."""

CONFLICT_PREFIX = "CA4"
"""The code prefix of attribution conflicts (CA4xx): their key's cluster is flagged `conflicting`."""


def is_conflict(finding: Finding) -> bool:
    """Whether this is an attribution conflict (CA4xx): its key's cluster is flagged `conflicting`."""
    return finding.rule.startswith(CONFLICT_PREFIX)


def conflicted_keys(findings: Iterable[Finding]) -> set[str]:
    """The keys some CA4xx (attribution conflict) finding names."""
    return {f.key for f in findings if is_conflict(f) and f.key}


def reach_rank(capsules: int, key: str) -> tuple[int, str]:
    """The order of clusters by reach: cited by the most capsules first, then by key."""
    return -capsules, key


Ref = tuple[int, int | None, int | None, str | None]
"""A member row's (doc, claim_pos, cit_ix, listed): what its claim's columns and binding depend on."""


def _member(row: tuple[Any, ...], claims: dict[Ref, tuple[Any, ...]]) -> ClusterMember:
    _, capsule, doc, pos, cit_ix, listed = row
    claim, method, acronym, institutions, figures, binding = claims[(doc, pos, cit_ix, listed)]
    return build(
        ClusterMember,
        {
            "capsule": capsule,
            "claim": claim,
            "method": method,
            "acronym": acronym,
            "institutions": tuple(institutions or ()),
            "figures": tuple(figure_of(f) for f in figures or ()),
            "binding": Binding(binding),
        },
    )


def _claims_of(store: Store, rows: list[tuple[Any, ...]], table: str) -> dict[Ref, tuple[Any, ...]]:
    """The claim columns and the binding (`BINDING`) of the member rows, by `Ref`."""
    refs = rows_table(REFS, list({(row[2], row[3], row[4], row[5]) for row in rows}))
    cursor = store.con.cursor()
    try:
        cursor.register("refs", refs)
        cursor.execute(_CLAIMS.format(claims=table))
        return {(row[0], row[1], row[2], row[3]): row[4:] for row in cursor.fetchall()}
    finally:
        cursor.close()


def iter_clusters(
    store: Store,
    conflicted: Collection[str],
    *,
    with_corpus: bool = False,
    keys: Collection[str] | None = None,
) -> Iterator[Cluster]:
    """The clusters by key (those of `keys` only, if given), flagged `conflicting` when their key
    is in `conflicted`.

    `with_corpus`: the identifiers a batch capsule cites, with the corpus's credits beside.
    """
    cursor = store.con.cursor()
    try:
        claims = "all_claims" if with_corpus else "claims"
        query = _CLUSTERS.format(claims=claims, **scope(cursor, with_corpus, keys))
        cursor.execute(query)
        key: str | None = None
        members: list[ClusterMember] = []
        while rows := cursor.fetchmany(LOOKUP_ROWS):
            looked_up = _claims_of(store, rows, claims)
            for row in rows:
                if row[0] != key:
                    if key is not None:
                        yield Cluster(key=key, members=tuple(members), conflicting=key in conflicted)
                    key, members = row[0], []
                members.append(_member(row, looked_up))
        if key is not None:
            yield Cluster(key=key, members=tuple(members), conflicting=key in conflicted)
    finally:
        cursor.close()


def scope(
    cursor: duckdb.DuckDBPyConnection, with_corpus: bool, keys: Collection[str] | None
) -> dict[str, str]:
    """The member table, the batch filter and the key filter of the cluster queries (`keys`
    registered on `cursor` as `only_keys`)."""
    only = ""
    if keys is not None:
        cursor.register(
            "only_keys", pa.Table.from_arrays([pa.array(sorted(keys), type=pa.string())], ["key"])
        )
        only = "AND key IN (SELECT key FROM only_keys)"
    if with_corpus:
        return {"members": "all_members", "touching": "AND bool_or(batch)", "only": only}
    return {"members": "members", "touching": "", "only": only}


class ClusterStream:
    """The store's clusters, flagged against the final findings; re-readable."""

    def __init__(self, store: Store, conflicted: Collection[str], *, with_corpus: bool = False) -> None:
        self.store = store
        self.conflicted = conflicted
        self.with_corpus = with_corpus

    def __iter__(self) -> Iterator[Cluster]:
        return iter_clusters(self.store, self.conflicted, with_corpus=self.with_corpus)

    def widest_conflicts(self, limit: int) -> tuple[list[str], int]:
        """The keys of the `limit` conflicting clusters of the widest reach (`reach_rank`), in
        that order, and how many conflicting clusters there are: counted in SQL, none rebuilt."""
        cursor = self.store.con.cursor()
        try:
            query = REACH.format(**scope(cursor, self.with_corpus, self.conflicted))
            reach = cursor.execute(query).fetchall()
        finally:
            cursor.close()
        widest = [key for key, _ in heapq.nsmallest(limit, reach, key=lambda row: reach_rank(row[1], row[0]))]
        return widest, len(reach)
