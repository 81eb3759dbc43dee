"""The store: its tables as the README documents them for editors' SQL, its connection's settings."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from capsule_audit.store.corpus import CORPUS_TABLES
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
