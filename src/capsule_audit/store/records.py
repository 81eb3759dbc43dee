"""The records an audit keeps for its report (`keep_records`): their JSON in the store.

A record is what a user sees in the JSON report and the HTML page, so it is kept as that JSON
(`model_dump_json`) and validated again when read back: pydantic at the boundary, no pickled
models. `input_findings` is left out of the JSON, as of every dump: those CA004 findings were
filed when the record was processed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from capsule_audit.models.records import CapsuleRecord
from capsule_audit.store.database import Store

BUFFER_RECORDS = 512
"""Records sent to the store at once: a record holds its whole text, so a few hundred at most."""


class RecordTable:
    """Records in input order; re-readable."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.name = store.table("kept_records", "n BIGINT, record VARCHAR", ())
        self._count = 0

    def extend(self, batch: pa.Table) -> None:
        """Keep the records of `batch` (`KEPT_RECORDS`, numbered from `len(self)` on)."""
        self.store.append(self.name, batch, queue_rows=BUFFER_RECORDS)
        self._count += batch.num_rows

    def flush(self) -> None:
        """Send the queued records to the store."""
        self.store.flush(self.name)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[CapsuleRecord]:
        # A range of numbers at a time: the records are filed in order, so each range is found
        # from the row groups' min/max alone, and no sort holds every record's text (DuckDB
        # cannot spill a sort of wide text rows past its memory limit).
        self.flush()
        for start in range(0, self._count, BUFFER_RECORDS):
            query = f"SELECT record FROM {self.name} WHERE n >= ? AND n < ? ORDER BY n"
            rows = self.store.con.execute(query, [start, start + BUFFER_RECORDS]).fetchall()
            for (text,) in rows:
                yield CapsuleRecord.model_validate_json(text)
