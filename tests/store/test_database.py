"""The store's tables as the README documents them for editors' SQL."""

from __future__ import annotations

import re

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
