"""METHOD groups read as credits: one row per (capsule, claim), reduced by DuckDB, no claim rebuilt.

CA403 and CA404 read of a METHOD group's claims their method, their arXiv IDs and DOIs with
their bindings, their figures with a measure, their strongest binding and, for evidence, their
quote (`rules.credited.ClaimCredit`). The scan gives exactly that per claim, already filtered:
a method block of 150,000 claims had each rebuilt whole (citations, figures, spans, texts: 5.5
CPU-s for the 200,000-capsule store's largest) for the rules to read a few fields of each.

The scan reads the members narrow, in member order (`store.groups.MEMBER_ORDER`); each run of
batches then looks up its claims' credited columns (`cut_credits`), as `store.batch_claims` does
for members. A group's credits are its members' claims, one per (capsule, claim id): the first
member of each, as `identifiers.credits.claim_credits` keeps, in credit order (capsule, claim
start, claim id), with that member's source and astral offsets (`Group.placed`); the group's
size is its members filed (`credit_groups`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from sys import intern
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from capsule_audit.models.claims import Binding, MethodRef
from capsule_audit.models.unvalidated import build
from capsule_audit.rules.base import Group, GroupKind
from capsule_audit.rules.credited import ClaimCredit, QuotedClaim, StatedFigure
from capsule_audit.store.batch_claims import doc_pos_keys
from capsule_audit.store.group_batches import FETCH_ROWS, GroupBatch, cut_runs
from capsule_audit.store.rebuilt import common

CREDITS_MARK = "c_keys"
"""A column only a credit scan's rows have: how `store.groups.assemble` tells its batches apart."""

_SCAN = """
SELECT m.kind, m.key, m.capsule, m.claim_id, m.doc, m.claim_pos AS pos, m.path, m.line, m.idx,
    m.pointer, m.astral
FROM {source}
WHERE m.kind = 'method'
ORDER BY m.key, {order}
"""
# The member scan's shape and order, narrow: the claims' texts and lists are looked up per run of
# batches (`_CLAIMS`), as `store.batch_claims` does for members (a sort of rows that wide ran
# out of DuckDB's memory), and a claim's first member is kept in Python (`credit_groups`), not
# by window functions over partitions of up to 750,000 rows (a 1,000,000-capsule dump's method
# blocks) in a statement that also sorts.

_CREDITED = "x.scheme IN ('arxiv', 'doi') AND NOT x.truncated AND x.binding <> 'listed'"


def _credited(column: str, part: str) -> str:
    """SQL: what a list of citations credits: its arXiv IDs and DOIs (`{part}_keys`) with their
    bindings (`{part}_bindings`), and its strength: 2 if one is explicit, else 1 if one is
    positional, else 0 (`credits._strongest_binding`: a claim of strength 0 is credited explicit)."""
    return f"""[x.key FOR x IN {column} IF {_CREDITED}] AS {part}_keys,
    [x.binding FOR x IN {column} IF {_CREDITED}] AS {part}_bindings,
    CASE WHEN list_contains([x.binding FOR x IN {column}], 'explicit') THEN 2
        WHEN list_contains([x.binding FOR x IN {column}], 'positional') THEN 1 ELSE 0 END AS {part}_strength"""


_MEASURED = "coalesce(f.measure, '') <> ''"
_CLAIMS = f"""
SELECT x.doc, x.pos, x.cit_from, x.src_from, x.span.start AS start, x.span."end" AS stop,
    coalesce(x.raw, x.text) AS quote,
    x.method IS NOT NULL AS has_method, x.method.name AS name, x.method.acronym AS acronym,
    {_credited("x.citations", "c")}, {_credited("x.item_sources", "s")},
    [f.measure FOR f IN x.figures IF {_MEASURED}] AS f_measure,
    [f.unit FOR f IN x.figures IF {_MEASURED}] AS f_unit,
    [f.value FOR f IN x.figures IF {_MEASURED}] AS f_value,
    [f.direction FOR f IN x.figures IF {_MEASURED}] AS f_direction,
    [f.raw FOR f IN x.figures IF {_MEASURED}] AS f_raw
FROM {{claims}} x SEMI JOIN scanned n ON x.doc = n.doc AND x.pos = n.pos
"""
_OWNERS = f"""
SELECT x.doc, x.pos, {_credited("x.citations", "c")}, {_credited("x.item_sources", "s")}
FROM {{claims}} x SEMI JOIN scanned n ON x.doc = n.doc AND x.pos = n.pos
"""
# Two scans, no join: the claims (texts, figures) stream past; a claim sharing its item's
# citations (`cit_from`) or Source lines (`src_from`) takes them from its owner's row, looked up
# after (`_shared`). A join of the wide claim rows ran out of a 16 MB store's memory.
_PARTS = {
    "cit_from": ("c_keys", "c_bindings", "c_strength"),
    "src_from": ("s_keys", "s_bindings", "s_strength"),
}
_NONE = pa.table({"doc": pa.array([], pa.int64())})
"""A credit batch's claims and samples: none (its rows hold what its groups need)."""
_WIDE = ["start", "stop", "quote", "has_method", "name", "acronym", *_PARTS["cit_from"], *_PARTS["src_from"]]
_WIDE += ["f_measure", "f_unit", "f_value", "f_direction", "f_raw"]


def credit_scan(source: str, member_order: str) -> str:
    """The ordered scan of METHOD members, narrow: `source` the member rows `m` (a `FROM` item), in
    `member_order` (`store.groups.MEMBER_ORDER`)."""
    return _SCAN.format(source=source, order=member_order)


def cut_credits(con: duckdb.DuckDBPyConnection, scan: str, claims: str) -> Iterator[GroupBatch]:
    """A credit scan in batches of whole groups (`store.group_batches.cut_runs`), each row completed
    with its claim's credited columns, looked up a run of batches at a time."""
    return cut_runs(con, scan, lambda looker, run: _run_credits(looker, run, claims))


def _run_credits(
    looker: duckdb.DuckDBPyConnection, run: pa.Table, claims: str
) -> Callable[[pa.Table], GroupBatch]:
    """The credited columns of a run's claims, looked up once, as what completes each batch of it."""
    wide = _looked_up(looker, run, claims)
    keys = doc_pos_keys(wide.column("doc"), wide.column("pos"))

    def batch_of(narrow: pa.Table) -> GroupBatch:
        at = pc.index_in(doc_pos_keys(narrow.column("doc"), narrow.column("pos")), value_set=keys)
        return GroupBatch(_joined(narrow, wide.take(at)), _NONE, _NONE)

    return batch_of


LOOKUP_ROWS = 262_144
"""Claims looked up per query, at most: a 750,000-claim METHOD group's in one query built a hash
table DuckDB spilled (18 s against a 1,000,000-capsule corpus, where 375,000 took 1.2 s; in
parts, 5.6 s). Each query scans the claims table once."""


def _looked_up(looker: duckdb.DuckDBPyConnection, narrow: pa.Table, claims: str) -> pa.Table:
    """The credited columns of the claims the rows name, by (doc, pos), shared tuples resolved."""
    rows = _in_parts(looker, narrow.select(["doc", "pos"]), _CLAIMS.format(claims=claims))
    return _shared(looker, rows, claims)


def _in_parts(looker: duckdb.DuckDBPyConnection, refs: pa.Table, query: str) -> pa.Table:
    """`query` (reading the claims named by table `scanned`) for the distinct (doc, pos) of `refs`,
    `LOOKUP_ROWS` of them at a time, its rows fetched as a stream of Arrow batches (not a result
    DuckDB materializes first: 750,000 claims' quotes and lists are ~220 MiB)."""
    distinct = refs.group_by(["doc", "pos"]).aggregate([])
    parts = []
    for start in range(0, max(distinct.num_rows, 1), LOOKUP_ROWS):
        looker.register("scanned", distinct.slice(start, LOOKUP_ROWS))
        try:
            parts.append(looker.sql(query).to_arrow_reader(FETCH_ROWS).read_all())
        finally:
            looker.unregister("scanned")
    return pa.concat_tables(parts)


def _shared(looker: duckdb.DuckDBPyConnection, rows: pa.Table, claims: str) -> pa.Table:
    """`rows` with the parts a claim shares taken from its owner's row (`cit_from`, `src_from`)."""
    owned = [
        pa.table({"doc": rows.column("doc"), "pos": rows.column(column)}).filter(
            pc.is_valid(rows.column(column))
        )
        for column in _PARTS
    ]
    owners = pa.concat_tables(owned)
    if not owners.num_rows:
        return rows
    held = _in_parts(looker, owners, _OWNERS.format(claims=claims))
    keys = doc_pos_keys(held.column("doc"), held.column("pos"))
    for column, parts in _PARTS.items():
        sharing = pc.is_valid(rows.column(column))
        at = pc.index_in(
            doc_pos_keys(rows.column("doc"), pc.fill_null(rows.column(column), 0)), value_set=keys
        )
        for part in parts:
            shared = pc.if_else(sharing, held.column(part).take(at), rows.column(part))
            rows = rows.set_column(rows.schema.get_field_index(part), part, shared)
    return rows


def _joined(narrow: pa.Table, wide: pa.Table) -> pa.Table:
    """The narrow rows with their claims' credited columns (`wide`, row for row)."""
    return pa.Table.from_arrays(
        [*narrow.columns, *(wide.column(name) for name in _WIDE)],
        names=[*narrow.column_names, *_WIDE],
    )


_BINDINGS = {b.value: b for b in Binding}


def credit_groups(rows: Iterator[tuple[Any, ...]]) -> Iterator[Group]:
    """A credit scan's rows (as tuples, in scan order) as METHOD groups, one group at a time.

    A group's members come in member order: a claim's first member is its credit (one per
    (capsule, claim), as `credits.claim_credits` keeps), and a capsule's credits are put in
    credit order (claim start, claim id) once its rows are read (they are together)."""
    refs: dict[tuple[str | None, str | None], MethodRef] = {}
    shared: dict[Any, Any] = {}  # a group's equal cites and figures tuples, held once
    current: str | None = None
    filed = 0
    credits: list[ClaimCredit] = []
    capsule: list[ClaimCredit] = []  # the current capsule's credits, in member order
    last: tuple[str, str] | None = None
    for row in rows:
        if row[1] != current:
            if current is not None:
                yield _group(current, credits, capsule, filed)
            current, filed, last = row[1], 0, None
            shared.clear()
        filed += 1
        if row[5] is None or (row[2], row[3]) == last:
            continue  # a member without a claim, or a claim's later member
        if capsule and capsule[0].capsule != row[2]:
            credits.extend(_in_order(capsule))
            capsule = []
        last = (row[2], row[3])
        capsule.append(_credit(row, refs, shared))
    if current is not None:
        yield _group(current, credits, capsule, filed)


def _group(key: str, credits: list[ClaimCredit], capsule: list[ClaimCredit], filed: int) -> Group:
    """The group of the credits filed before the current capsule's, then its own, emptying both
    lists (as `store.groups` does its members): while the group is checked, only it holds them."""
    group = Group(GroupKind.METHOD, key, (), (*credits, *_in_order(capsule)), filed)
    credits.clear()
    capsule.clear()
    return group


def _in_order(capsule: list[ClaimCredit]) -> list[ClaimCredit]:
    """One capsule's credits in credit order (claim start, then claim id)."""
    if len(capsule) > 1:
        capsule.sort(key=lambda c: (c.claim.start, c.claim.id))
    return capsule


def _credit(
    row: tuple[Any, ...], refs: dict[tuple[str | None, str | None], MethodRef], shared: dict[Any, Any]
) -> ClaimCredit:
    (_, _, capsule, claim_id, _, _, path, line, idx, pointer, astral) = row[:11]
    (start, stop, quote, has_method, name, acronym) = row[11:17]
    (c_keys, c_bindings, c_strength, s_keys, s_bindings, s_strength) = row[17:23]
    measures, units, values, directions, raws = row[23:]
    keys, bindings = (c_keys or []) + (s_keys or []), (c_bindings or []) + (s_bindings or [])
    method = None
    if has_method:
        method = refs.get((name, acronym))
        if method is None:
            method = refs[(name, acronym)] = build(
                MethodRef, {"name": common(name), "acronym": common(acronym)}
            )
    # The claims of a method mostly credit the same identifiers and state the same figures: each
    # distinct tuple is held once per group (a 750,000-claim group: ~400 bytes a claim less).
    cites = tuple(zip(keys, map(_BINDINGS.__getitem__, bindings), strict=True))
    cites = shared.setdefault(("c", cites), cites)
    stated = tuple(zip(measures, units, values, directions, raws, strict=True))
    figures = shared.get(("f", stated))
    if figures is None:
        figures = shared[("f", stated)] = _figures(stated)
    return ClaimCredit(
        capsule=intern(capsule),
        claim=QuotedClaim(claim_id, start, stop, quote),
        binding=Binding.POSITIONAL if max(c_strength, s_strength) == 1 else Binding.EXPLICIT,
        method=method,
        cites=cites,
        figures=figures,
        where=(intern(path), line, idx, pointer),
        astral=tuple(astral or ()),
    )


def _figures(stated: tuple[tuple[str, str, float, str | None, str], ...]) -> tuple[StatedFigure, ...]:
    return tuple(StatedFigure(intern(m), intern(u), v, common(d), r) for m, u, v, d, r in stated)
