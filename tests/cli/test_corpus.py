"""A persistent corpus: `index` files it, `audit --store` checks a batch against it, `--update` adds it."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from capsule_audit.api import audit_stream
from capsule_audit.cli import app
from capsule_audit.cluster_credits import count_credits, credits_of
from capsule_audit.config import AuditConfig
from capsule_audit.store.corpus import SCHEMA_VERSION
from tests.store.helpers import scanned_column

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-06-01T00:00:00Z"
HOLD = "import duckdb, time; db = duckdb.connect({path!r}); print('held', flush=True); time.sleep(60)"
"""Another process holding the store open for writing (DuckDB's file lock)."""


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The 200-capsule synthetic dump with conflicts, and its first 150 and last 50 lines apart."""
    folder = tmp_path_factory.mktemp("synth")
    whole = folder / "all.ndjson"
    with whole.open("wb") as out:
        command = [sys.executable, "-m", "benchmarks.synth", "200", "--conflicts"]
        subprocess.run(command, cwd=ROOT, stdout=out, check=True)
    lines = whole.read_bytes().splitlines(keepends=True)
    (folder / "corpus").mkdir()
    (folder / "batch").mkdir()
    (folder / "corpus" / "old.ndjson").write_bytes(b"".join(lines[:150]))
    (folder / "batch" / "new.ndjson").write_bytes(b"".join(lines[150:]))
    return whole, folder / "corpus", folder / "batch"


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _report(*args: str) -> dict:  # type: ignore[type-arg]
    code, out, err = _cli("audit", *args, "--format", "json", "--now", NOW, "-j", "1")
    assert code in (0, 1), err
    return json.loads(out)  # type: ignore[no-any-return]


def _ids(report: dict) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(f["rule"], f["fingerprint"]) for f in report["findings"]]


def test_a_batch_against_the_corpus_gets_the_whole_audits_findings_that_name_it(
    dump: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    whole, corpus, batch = dump
    store = tmp_path / "corpus.duckdb"
    code, out, _ = _cli("index", str(corpus), "--store", str(store), "-j", "1")
    assert code == 0 and "indexed 150 capsules" in out
    full = _report(str(whole))
    checked = _report(str(batch), "--store", str(store))
    new = {c["id"] for c in checked["capsules"]}
    assert len(new) == 50
    expected = [(f["rule"], f["fingerprint"]) for f in full["findings"] if new & set(f["capsules"])]
    assert _ids(checked) == expected
    # Cross-capsule findings between the batch and the corpus are found; corpus-only ones are not.
    assert any(set(f["capsules"]) - new for f in checked["findings"] if f["rule"].startswith("CA4"))
    assert all(new & set(f["capsules"]) for f in checked["findings"])
    assert {c["key"] for c in checked["clusters"]} <= {c["key"] for c in full["clusters"]}


def test_a_batch_reads_none_of_the_touched_groups_its_rules_cannot_use(
    dump: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The synthetic dump's acronyms each name one method: CA405 cannot fire, so the batch's
    scan reads none of them, though the batch's capsules are in them (`store.wanted`)."""
    _, corpus, batch = dump
    store = tmp_path / "corpus.duckdb"
    assert _cli("index", str(corpus), "--store", str(store), "-j", "1")[0] == 0
    scanned = scanned_column(monkeypatch, "kind")
    checked = _report(str(batch), "--store", str(store), "--update")
    assert {"method", "citation", "title"} <= set(scanned) and "acronym" not in scanned
    assert not [f for f in checked["findings"] if f["rule"] == "CA405"]
    new = [c["id"] for c in checked["capsules"]]
    with duckdb.connect(str(store), read_only=True) as db:  # the batch's acronyms, each in the corpus too
        shared = (
            "SELECT key FROM members WHERE kind = 'acronym' GROUP BY key"
            " HAVING bool_or(list_contains(?, capsule)) AND NOT bool_and(list_contains(?, capsule))"
        )
        assert len(db.execute(shared, [new, new]).fetchall()) >= 5


def test_update_adds_the_batch_and_reindexing_replaces_a_capsule(
    dump: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    whole, corpus, batch = dump
    store = tmp_path / "corpus.duckdb"
    assert _cli("index", str(corpus), "--store", str(store), "-j", "1")[0] == 0
    first = _report(str(batch), "--store", str(store), "--update")
    with duckdb.connect(str(store), read_only=True) as db:
        assert db.execute("SELECT count(*), count(DISTINCT id) FROM capsules").fetchone() == (200, 200)
        claims = db.execute("SELECT count(*) FROM claims").fetchone()
    # Re-indexing the batch replaces its rows (no duplicate capsules, claims or members) and
    # checking it again finds what it found the first time.
    assert _ids(_report(str(batch), "--store", str(store), "--update")) == _ids(first)
    with duckdb.connect(str(store), read_only=True) as db:
        assert db.execute("SELECT count(*), count(DISTINCT id) FROM capsules").fetchone() == (200, 200)
        assert db.execute("SELECT count(*) FROM claims").fetchone() == claims
        # one text sample per capsule, replaced with it
        assert db.execute("SELECT count(*), count(DISTINCT capsule) FROM samples").fetchone() == (200, 200)
        info = dict(db.execute("SELECT key, value FROM store_info").fetchall())
    assert info["tool"] == "capsule-audit" and info["schema"] == SCHEMA_VERSION == "4"
    # The whole dump against a corpus holding all of it: the plain audit's findings.
    assert _ids(_report(str(whole), "--store", str(store))) == _ids(_report(str(whole)))


def _refused(store: Path, batch: Path, *extra: str) -> str:
    before = store.read_bytes() if store.exists() else None
    code, out, err = _cli("audit", str(batch), "--store", str(store), "--now", NOW, "-j", "1", *extra)
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1 and str(store) in err
    assert (store.read_bytes() if store.exists() else None) == before  # nothing written
    return err


def test_a_store_of_the_previous_schema_is_refused_with_one_line(
    dump: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    # Schema 2 held every Source line in every cited claim's citations (no `item_sources`):
    # read as schema 3 its claims would lose them, so it is refused, for an audit and an update.
    _, corpus, batch = dump
    old = tmp_path / "old.duckdb"
    assert _cli("index", str(corpus), "--store", str(old), "-j", "1")[0] == 0
    with duckdb.connect(str(old)) as db:
        db.execute("UPDATE store_info SET value = '2' WHERE key = 'schema'")
    for extra in ((), ("--update",)):
        err = _refused(old, batch, *extra)
        assert "schema 2" in err and f"this tool reads schema {SCHEMA_VERSION}" in err


def test_missing_corrupt_foreign_and_locked_stores_exit_2_and_are_left_alone(
    dump: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, corpus, batch = dump
    assert "no such store" in _refused(tmp_path / "missing.duckdb", batch)
    corrupt = tmp_path / "corrupt.duckdb"
    corrupt.write_bytes(b"not a database at all" * 100)
    assert "cannot open" in _refused(corrupt, batch, "--update")
    foreign = tmp_path / "foreign.duckdb"
    with duckdb.connect(str(foreign)) as db:
        db.execute("CREATE TABLE store_info (key VARCHAR, value VARCHAR)")
        db.execute("INSERT INTO store_info VALUES ('tool', 'capsule-audit'), ('schema', '0')")
    assert "schema 0" in _refused(foreign, batch, "--update")
    locked = tmp_path / "locked.duckdb"
    assert _cli("index", str(corpus), "--store", str(locked), "-j", "1")[0] == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD.format(path=str(locked))],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert "cannot open" in _refused(locked, batch, "--update")
    finally:
        holder.kill()
        holder.wait()


def test_update_needs_a_store(dump: tuple[Path, Path, Path]) -> None:
    _, _, batch = dump
    code, _, err = _cli("audit", str(batch), "--update", "-j", "1")
    assert code == 2 and "--store" in err


@pytest.mark.parametrize("limit", [1, 25])
def test_a_batchs_conflicts_table_ranks_the_corpus_credits_beside_it(
    dump: tuple[Path, Path, Path], tmp_path: Path, limit: int
) -> None:
    # The store's ranking and credit counts (SQL, over the batch's and the corpus's members) are
    # the stream's; the label merges a method's name-only and acronym-only credits.
    _, corpus, batch = dump
    store = tmp_path / "corpus.duckdb"
    assert _cli("index", str(corpus), "--store", str(store), "-j", "1")[0] == 0
    config = AuditConfig(now=datetime(2026, 6, 1, tzinfo=UTC), jobs=1)
    with audit_stream([str(batch)], config, corpus=store) as result:
        streamed = [c for c in result.clusters if c.conflicting]
        widest, seen = result.clusters.widest_conflicts(limit)
        counted = count_credits(result.clusters.store, widest, _acronym_first, 3, with_corpus=True)
    assert seen == len(streamed) >= 2
    rank = sorted(streamed, key=lambda c: (-len({m.capsule for m in c.members}), c.key))
    assert widest == [c.key for c in rank[:limit]]
    assert counted == {c.key: credits_of(c, _acronym_first, 3) for c in rank[:limit]}
    assert any(credits.total > 1 for credits in counted.values())


def _acronym_first(method: str | None, acronym: str | None) -> str:
    return acronym or method or "-"
