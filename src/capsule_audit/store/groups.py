"""The group index on the store: members filed as rows, groups read back by ordered scans.

`add` files one document's claim and member rows (`store.rows`); `batches` asks DuckDB for the
groups of at least their kind's floor of members that hold what their rules need (`store.wanted`),
ordered by (kind, key) and, within a group,
by `MEMBER_ORDER` (capsule, claim id, citation key, content digest, path, index, then filing
order: a total order), one sorted scan per kind, in batches of whole groups with the claim rows
they need (`store.group_batches`); `assemble` rebuilds a batch's groups from those rows alone,
taking them out of the batch, in the main process or a worker (`group_pass`); `groups` is the
two in turn. Only the groups that reach a rule are ever rebuilt; DuckDB sorts and counts the
rest past its memory limit on disk.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from sys import intern
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa

from capsule_audit.models.claims import Claim
from capsule_audit.models.records import SourceRef
from capsule_audit.rules.base import Group, GroupKind, Member
from capsule_audit.store.database import Store, rows_table, sql_literal
from capsule_audit.store.group_batches import GroupBatch, cut
from capsule_audit.store.method_scan import CREDITS_MARK, credit_groups, credit_scan, cut_credits
from capsule_audit.store.rebuilt import citation_of, common, date_of
from capsule_audit.store.rows import ClaimRow, MemberRow, MemberRows, claim_rows, member_rows
from capsule_audit.store.schema import CLAIMS, MEMBERS, SAMPLES
from capsule_audit.store.shared_citations import rebuilt_claims
from capsule_audit.store.wanted import Minimums, Needs, floors_of, wanted_ctes

BUFFER_ROWS = 50_000
"""Member rows buffered before one Arrow batch goes to the store."""

SLICE_ROWS = 4096
"""Rows of a batch turned into Python values at a time (`assemble`)."""

MEMBER_ORDER = "m.capsule, m.claim_id, m.citation_key, m.digest, m.path, coalesce(m.idx, -1), m.doc, m.seq"
"""The order of members within a group (`member_order` in SQL), total: filing order last."""

SCAN_COLUMNS = (
    "m.kind, m.key, m.capsule, m.path, m.line, m.idx, m.pointer, m.cit_ix, m.citation, m.name,"
    " m.date_created, m.digest, m.text_sample, m.sample_seq, m.doc, m.claim_pos, m.astral"
)
SCAN_ORDER = f" ORDER BY m.kind, m.key, {MEMBER_ORDER}"
"""The group scan's order: by (kind, key), then `MEMBER_ORDER` within a group."""
TOUCHED = "touched_members"
"""The members of the groups a batch touches, batch and corpus rows together (`batches`)."""
WANTED = "wanted_keys"
"""The (kind, key) of the groups `batches` reads: of one kind at a time, or those a batch touches."""
_scans = itertools.count(1)
# The claim rows the members name are fetched per batch (`store.group_batches`).


class GroupIndex:
    """Members by (kind, key) in the store; yields groups of a stable content whatever the input order."""

    def __init__(self, store: Store | None = None, *, directory: str | None = None) -> None:
        self._own = store is None
        self.store = store or Store(directory)
        self.with_corpus = False  # set once a corpus is attached (`store.corpus.union_views`)
        self.members = 0
        self.documents = 0
        self._members: list[MemberRow] = []
        self._claims: list[ClaimRow] = []
        self._samples: list[tuple[Any, ...]] = []

    def add(self, doc: int, claims: Iterable[ClaimRow], members: MemberRows) -> None:
        """File one document's rows (`doc`: its place in the input, unique per document)."""
        self._claims.extend((doc, *row) for row in claims)
        self._samples.extend((doc, *row) for row in members.samples)
        before = len(self._members)
        self._members.extend((row[0], row[1], doc, *row[2:]) for row in members.members)
        self.members += len(self._members) - before
        if len(self._members) >= BUFFER_ROWS:
            self._send()

    def extend(self, entries: Iterable[tuple[GroupKind, str, Member]]) -> None:
        """File the entries of `members_for` as one more document (tests, small callers)."""
        entries = list(entries)
        claims: dict[int, Claim] = {}
        for _, _, m in entries:
            if m.claim is not None:
                claims.setdefault(id(m.claim), m.claim)
        ordered = list(claims.values())
        self.documents += 1
        self.add(
            self.documents,
            claim_rows(ordered),
            member_rows(entries, ordered),
        )

    def flush(self) -> None:
        """Send the buffered rows to the store, and have it insert them."""
        self._send()
        for name in ("claims", "members", "samples"):
            self.store.flush(name)

    def _send(self) -> None:
        self.store.append("claims", rows_table(CLAIMS, self._claims))
        self.store.append("members", rows_table(MEMBERS, self._members))
        self.store.append("samples", rows_table(SAMPLES, self._samples))
        self._claims, self._members, self._samples = [], [], []

    def batches(
        self,
        kinds: Iterable[GroupKind] | None = None,
        *,
        min_members: Minimums = 2,
        needs: Needs | None = None,
    ) -> Iterator[GroupBatch]:
        """The groups of the given kinds (None: all) with at least `min_members` members and, for
        the kinds in `needs`, holding what one of their rules needs (`store.wanted`), by (kind,
        key), as batches of rows (`assemble` rebuilds them)."""
        self.flush()
        floors = floors_of(kinds, min_members)
        needs = needs or {}
        if not floors:
            return
        # One sort per kind, in kind order (the scan's order): DuckDB keeps a sort's spilled
        # rows on disk until its result is read to the end, so sorting every kind at once held
        # all of them (the 200,000-capsule store: 613 MiB spilled at the peak; a kind at a
        # time, 45 MiB). The keys wanted are a table before the members are joined to them:
        # joined to the `WITH`'s estimate (60,851 groups for 7 METHOD ones at 1,000,000
        # capsules), DuckDB 2.0.1 built its hash table on the 3,000,000 member rows instead and
        # ran out of 256 MB; on a table it knows the keys' count and builds on them.
        con = self.store.con
        # Names of this call's own: a scan left unread is dropped when collected, maybe mid-way
        # through another.
        keys, touched = f"{WANTED}_{next(_scans)}", f"{TOUCHED}_{next(_scans)}"
        try:
            if not self.with_corpus:
                for kind, n in sorted(floors.items()):
                    wanted = wanted_ctes({kind: n}, needs, members="members", claims="claims")
                    con.execute(f"CREATE OR REPLACE TABLE {keys} AS {wanted}SELECT kind, key FROM wanted")
                    source = f"members m SEMI JOIN {keys} w ON m.kind = w.kind AND m.key = w.key"
                    yield from _kind_batches(con, kind, source, "claims", "samples")
                return
            # Only the groups holding a batch member. DuckDB 2.0.1 runs out of 256 MB counting
            # and sorting the union of the batch's and the corpus's rows in one statement (a
            # 1,000,000-capsule corpus: in its first seconds), yet does it in steps: the groups
            # wanted, their rows copied, those sorted.
            wanted = wanted_ctes(
                floors, needs, members="all_members", claims="all_claims", touching="AND bool_or(m.batch)"
            )
            con.execute(f"CREATE TABLE {keys} AS {wanted}SELECT kind, key FROM wanted")
            con.execute(
                f"CREATE TABLE {touched} AS SELECT m.* FROM all_members m"
                f" SEMI JOIN {keys} w ON m.kind = w.kind AND m.key = w.key"
            )
            for kind in sorted(floors):
                yield from _kind_batches(con, kind, f"{touched} m", "all_claims", "all_samples")
        finally:
            if self.store.db is not None:  # else closed, its files gone
                con.execute(f"DROP TABLE IF EXISTS {touched}; DROP TABLE IF EXISTS {keys}")

    def groups(
        self,
        kinds: Iterable[GroupKind] | None = None,
        *,
        min_members: Minimums = 2,
        needs: Needs | None = None,
    ) -> Iterator[Group]:
        """Groups of the given kinds (None: all) wanted as `batches` says, by (kind, key)."""
        for batch in self.batches(kinds, min_members=min_members, needs=needs):
            yield from assemble(batch)

    def close(self) -> None:
        """Close the store, when the index made its own."""
        self._members, self._claims, self._samples = [], [], []
        if self._own:
            self.store.close()

    def __enter__(self) -> GroupIndex:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _kind_batches(
    con: duckdb.DuckDBPyConnection, kind: str, source: str, claims: str, samples: str
) -> Iterator[GroupBatch]:
    """The groups of one kind read from member rows `source` (a `FROM` item `m`), in
    batches: a METHOD group's as its credits (`store.method_scan`), any other's as members with
    their claims and samples."""
    if kind == GroupKind.METHOD.value:
        return cut_credits(con, credit_scan(source, MEMBER_ORDER), claims)
    query = f"SELECT {SCAN_COLUMNS} FROM {source} WHERE m.kind = {sql_literal(kind)}{SCAN_ORDER}"
    return cut(con, query, claims, samples)


def assemble(batch: GroupBatch) -> Iterator[Group]:
    """The groups of one batch, in scan order, rebuilt from its rows alone (no store needed).

    Takes the batch's rows (`GroupBatch.take`: a batch is rebuilt once) and lets go of them
    before it yields the last group: a giant group, a batch's last, is checked with none of
    its Arrow rows alive."""
    member_table, claim_table, sample_table = batch.take()
    if CREDITS_MARK in member_table.column_names:  # METHOD groups: credits, not members
        credit_rows = _rows(member_table)
        del member_table  # `credit_rows` holds the rows until exhausted
        yield from credit_groups(credit_rows)
        return
    claims = rebuilt_claims(_rows(claim_table))
    samples = {(doc, seq): packed for doc, seq, packed in _rows(sample_table)}
    rows = _rows(member_table)
    del claim_table, sample_table, member_table  # `rows` holds the member rows until exhausted
    current: tuple[str, str] | None = None
    members: list[Member] = []
    for row in rows:
        slot = (row[0], row[1])
        if slot != current:
            if current is not None:
                yield _taken(current, members)
            current = slot
        members.append(_member(row, claims, samples))
    del claims, samples
    if current is not None:
        yield _taken(current, members)


def _taken(slot: tuple[str, str], members: list[Member]) -> Group:
    """The group of `members`, emptying the list: while the group is checked, only it holds them
    (`group_pass` lets go of it before its findings become rows)."""
    group = Group(GroupKind(slot[0]), slot[1], tuple(members))
    members.clear()
    return group


def _rows(table: pa.Table) -> Iterator[tuple[Any, ...]]:
    """A table's rows as tuples of Python values, as DuckDB's `fetchall` gives them.

    Converted `SLICE_ROWS` at a time: the dicts and lists a row's nested columns become (spans,
    citations, figures) are garbage once its objects are built, and a giant group's all at once
    were a third of its peak (a 150,000-claim METHOD group: ~1,040 MB at the peak, 750 held)."""
    for start in range(0, table.num_rows, SLICE_ROWS):
        part = table.slice(start, SLICE_ROWS)
        yield from zip(*(column.to_pylist() for column in part.columns), strict=True)


def _member(
    row: tuple[Any, ...], claims: dict[tuple[int, int], Claim], samples: dict[tuple[int, int], bytes]
) -> Member:
    """One scanned row as a Member (claims shared within a batch, as extraction shares them)."""
    claim = None
    if row[15] is not None:
        claim = claims[(row[14], row[15])]
    if row[7] is not None:
        assert claim is not None
        citation = claim.citations[row[7]] if row[7] >= 0 else claim.item_sources[-1 - row[7]]
    else:
        citation = None if row[8] is None else citation_of(row[8])
    return Member(
        intern(row[2]),
        SourceRef.of_columns(row[3], row[4], row[5], row[6]),
        claim=claim,
        citation=citation,
        name=common(row[9]),
        date_created=date_of(row[10]),
        content_digest=row[11],
        text_sample=row[12],
        packed_sample=b"" if row[13] is None else samples[(row[14], row[13])],
        astral=tuple(row[16] or ()),
    )
