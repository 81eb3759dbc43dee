"""The ordered group scan cut into batches of whole groups, each with the claim rows it needs.

`cut` reads the scan (`store.groups._SCAN`: member rows ordered by kind, key and member order)
as Arrow record batches and cuts it into `GroupBatch`es of about `BATCH_ROWS` member rows, only
where one group ends and the next begins: a group is never split, so a group larger than
`BATCH_ROWS` is a batch by itself, or with the small groups before it. Each batch gets the claim
rows its members name and those whose rows hold the tuples they share (`cit_from`, `src_from`;
looked up for a run of batches at once, `store.batch_claims`) and the text samples they name
(`sample_seq`), so a batch is rebuilt into groups (`store.groups.assemble`) from its own rows
alone: no cursor, no store. It can be rebuilt in a worker process, as a Spark task rebuilds its
partition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from capsule_audit.store.batch_claims import RUN_ROWS, RunClaims
from capsule_audit.store.database import ipc_bytes
from capsule_audit.store.schema import SAMPLES

BATCH_ROWS = 8192
"""Member rows per batch, about: a batch ends with the group that holds its `BATCH_ROWS`-th row."""
FETCH_ROWS = 8192
"""Rows read from the ordered scan at a time."""
Wire = tuple[bytes, bytes, bytes]
"""A batch between processes: its members, claims and samples as Arrow IPC streams."""

_SAMPLES = """
SELECT s.doc, s.seq, s.packed_sample FROM {samples} s
SEMI JOIN (SELECT DISTINCT doc, sample_seq AS seq FROM scanned WHERE sample_seq IS NOT NULL) n
    ON s.doc = n.doc AND s.seq = n.seq
"""
_NO_SAMPLES = SAMPLES.empty_table().select(["doc", "seq", "packed_sample"])
"""What `_SAMPLES` returns for a batch naming no sample."""


class GroupBatch:
    """Whole groups' member rows (the scan's columns, in scan order), the claim rows and the text
    samples (doc, seq, packed_sample) they name.

    A box handed over once: `take` empties it. Every caller up the stack of the rebuild (the scan
    that yielded the batch, the pool or loop that passed it on, the checker) keeps its reference
    to the box while the groups' rules run; only the rebuild holds the rows, and it lets go of
    them before its last group (a giant group's batch: ~60-80 MB of Arrow rows at 100,000
    capsules) is checked."""

    __slots__ = ("_tables",)

    def __init__(self, members: pa.Table, claims: pa.Table, samples: pa.Table) -> None:
        self._tables: tuple[pa.Table, pa.Table, pa.Table] | None = (members, claims, samples)

    @property
    def members(self) -> pa.Table:
        """The member rows."""
        return self._held()[0]

    @property
    def claims(self) -> pa.Table:
        """The claim rows the members name."""
        return self._held()[1]

    @property
    def samples(self) -> pa.Table:
        """The text samples the members name."""
        return self._held()[2]

    def take(self) -> tuple[pa.Table, pa.Table, pa.Table]:
        """The members, claims and samples, the box left empty."""
        tables = self._held()
        self._tables = None
        return tables

    def _held(self) -> tuple[pa.Table, pa.Table, pa.Table]:
        if self._tables is None:
            raise RuntimeError("this batch's rows were taken: a batch is rebuilt once")
        return self._tables

    def to_wire(self) -> Wire:
        """The batch as Arrow IPC bytes for the trip to a worker (only the rows of a slice)."""
        return ipc_bytes(self.members), ipc_bytes(self.claims), ipc_bytes(self.samples)

    @classmethod
    def from_wire(cls, wire: Wire) -> GroupBatch:
        """The batch `to_wire` sent."""
        members, claims, samples = (pa.ipc.open_stream(data).read_all() for data in wire)
        return cls(members, claims, samples)

    def __reduce__(self) -> tuple[Callable[[Wire], GroupBatch], tuple[Wire]]:
        # Pickled (for a worker) as its wire bytes: a pickled slice would carry its whole buffers.
        # Pickling hands the batch over (the box is emptied): its rows are let go of once the
        # bytes are made, not held beside them and the pickle's own copy.
        wire = self.to_wire()
        self.take()
        return GroupBatch.from_wire, (wire,)


RunLookUp = Callable[[duckdb.DuckDBPyConnection, pa.Table], Callable[[pa.Table], GroupBatch]]
"""What a run of batches looks up (given a cursor and the run's scan rows, in one go), as what
makes each of its batches from its own scan rows."""


def cut(con: duckdb.DuckDBPyConnection, scan: str, claims: str, samples: str) -> Iterator[GroupBatch]:
    """The rows of the ordered `scan` in batches of whole groups, each with its claim rows from
    table `claims` (looked up a run of batches at a time, `store.batch_claims`) and its text
    samples from table `samples`. The scan's first two columns are the kind and the key."""

    def look_up(looker: duckdb.DuckDBPyConnection, run: pa.Table) -> Callable[[pa.Table], GroupBatch]:
        found = RunClaims(looker, run, claims)
        return lambda members: GroupBatch(members, found.of(members), _samples(looker, members, samples))

    return cut_runs(con, scan, look_up)


def cut_runs(con: duckdb.DuckDBPyConnection, scan: str, look_up: RunLookUp) -> Iterator[GroupBatch]:
    """The rows of the ordered `scan` in batches of whole groups, cut into runs of about `RUN_ROWS`
    rows, each run's look-up (`look_up`) done once and each batch made from its rows by it (the
    member scan's claims and samples, `cut`; a METHOD scan's credited columns,
    `store.method_scan`). The scan's first two columns are the kind and the key."""
    reader = con.cursor()
    looker = con.cursor()
    try:
        rows = reader.sql(scan).to_arrow_reader(FETCH_ROWS)
        for run in _runs(_whole_groups(rows)):
            batch_of = look_up(looker, pa.concat_tables(run))
            while run:
                members = run.pop(0)
                batch = batch_of(members)
                if not run:
                    # The run's look-up is not held beside the last batch's copy of its own (a
                    # giant group is a run alone: its claims were in memory twice), nor while
                    # the next run is read.
                    del batch_of
                del members
                yield batch
                del batch
    finally:
        looker.close()
        reader.close()


def _runs(batches: Iterator[pa.Table]) -> Iterator[list[pa.Table]]:
    """Batches in runs of about `RUN_ROWS` member rows, each ending with the batch that reaches it."""
    run: list[pa.Table] = []
    rows = 0
    for batch in batches:
        run.append(batch)
        rows += batch.num_rows
        del batch  # the run's last batch (a giant group's) is not held here while it is checked
        if rows >= RUN_ROWS:
            yield run
            run, rows = [], 0
    if run:
        yield run


def _samples(looker: duckdb.DuckDBPyConnection, members: pa.Table, samples: str) -> pa.Table:
    """The text samples (doc, seq, packed_sample) the members name."""
    if not pc.count(members.column("sample_seq")).as_py():  # text-block members only
        return _NO_SAMPLES
    looker.register("scanned", members)
    try:
        return looker.sql(_SAMPLES.format(samples=samples)).to_arrow_table()
    finally:
        looker.unregister("scanned")


def _whole_groups(rows: pa.RecordBatchReader) -> Iterator[pa.Table]:
    """The scan's rows as tables of whole groups, each ending where the group holding its
    `BATCH_ROWS`-th row ends."""
    held = pa.Table.from_batches([], rows.schema)
    for batch in rows:
        held = pa.concat_tables([held, pa.Table.from_batches([batch])])
        while held.num_rows > BATCH_ROWS and (end := _group_end(held, BATCH_ROWS - 1)) < held.num_rows:
            yield held.slice(0, end)
            held = held.slice(end)
    if held.num_rows:
        # Handed over, not held here while it is checked (the scan's last batch).
        last = [held]
        del held
        yield last.pop()


def _group_end(table: pa.Table, row: int) -> int:
    """Where the group of `row` ends in the table: its rows are those with its (kind, key), together."""
    kind, key = table.column(0), table.column(1)
    same = pc.and_(pc.equal(kind, kind[row]), pc.equal(key, key[row]))
    first: int = pc.index(same, True).as_py()
    size: int = pc.sum(same).as_py()
    return first + size
