"""The store: its tables as the README documents them for editors' SQL, its connection's settings."""

from __future__ import annotations

import re
import subprocess
import sys

import pyarrow as pa
import pytest

from capsule_audit.store.corpus import CORPUS_TABLES
from capsule_audit.store.database import ROW_GROUP_ROWS, Store
from capsule_audit.store.schema import TABLES
from tests.conftest import ROOT


def _readme_rows() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \| [^|]+ \| (.+) \|$", readme, re.M)}


@pytest.mark.parametrize("table", CORPUS_TABLES)
def test_the_readme_names_every_column_of_each_corpus_table(table: str) -> None:
    row = _readme_rows()[table]
    named = set(re.findall(r"`(\w+)`", row))
    columns = set(TABLES[table].names)
    assert columns <= named, f"README's `{table}` row lacks {sorted(columns - named)}"


def test_the_store_draws_no_progress_bar_into_the_report() -> None:
    # DuckDB draws one on stdout (where `-o -` writes the report) for a statement past
    # `progress_bar_time` (2 s: a 200,000-capsule corpus's METHOD scan). Its default depends on
    # the process (off under pytest's capture, on in a command's), hence a process of its own.
    code = (
        "from capsule_audit.store.database import Store\n"
        "store = Store()\n"
        "print(store.con.execute(\"SELECT current_setting('enable_progress_bar')\").fetchone()[0])\n"
        "store.close()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def _numbers(start: int, stop: int) -> pa.Table:
    return pa.table({"n": pa.array(range(start, stop), pa.int64())})


def _stored(store: Store) -> list[int]:
    return [n for (n,) in store.con.execute("SELECT n FROM t ORDER BY n").fetchall()]


def test_rows_are_inserted_whole_row_groups_at_a_time_the_rest_on_flush() -> None:
    # Whole row groups go straight to DuckDB's file; a partial one is rewritten at each checkpoint.
    store = Store()
    try:
        store.con.execute("CREATE TABLE t (n BIGINT)")
        store.append("t", _numbers(0, 100_000))
        assert _stored(store) == []  # under a row group: queued
        store.append("t", _numbers(100_000, 200_000))
        assert _stored(store) == list(range(ROW_GROUP_ROWS))  # one whole group; 77,120 wait
        store.append("t", _numbers(200_000, 2 * ROW_GROUP_ROWS + 10))
        assert _stored(store) == list(range(2 * ROW_GROUP_ROWS))
        store.flush("t")
        assert _stored(store) == list(range(2 * ROW_GROUP_ROWS + 10))  # in order, each row once
    finally:
        store.close()


def test_rows_queued_below_a_row_group_are_inserted_all_at_once() -> None:
    # Rows too wide to hold a row group of (kept records' JSON) are sent whole at their threshold.
    store = Store()
    try:
        store.con.execute("CREATE TABLE t (n BIGINT)")
        store.append("t", _numbers(0, 300), queue_rows=512)
        assert _stored(store) == []
        store.append("t", _numbers(300, 600), queue_rows=512)
        assert _stored(store) == list(range(600))
    finally:
        store.close()
