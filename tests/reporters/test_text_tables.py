"""The text summary's tables: the conflicts table ranked by reach, from a stream or the store."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import pytest
from benchmarks.synth import generate
from rich.console import Console

from capsule_audit import clusters
from capsule_audit.api import audit_stream
from capsule_audit.config import AuditConfig
from capsule_audit.models.claims import Binding
from capsule_audit.models.report import Cluster, ClusterMember
from capsule_audit.reporters.text import render_text
from capsule_audit.reporters.text_tables import conflicts_table, short_capsule
from tests.reporters.test_text import _report
from tests.rules.capsules import capsule_id

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _member(n: int, method: str, binding: Binding) -> ClusterMember:
    return ClusterMember(
        capsule=capsule_id(n), claim="c", method=method, acronym=None, institutions=("MIT",), binding=binding
    )


def test_conflicts_table_lists_each_capsule_of_a_conflicting_key() -> None:
    cluster = Cluster(
        key="arxiv:2604.01234",
        members=(_member(1, "RGO", Binding.EXPLICIT), _member(2, "SARIR", Binding.POSITIONAL)),
        conflicting=True,
    )
    quiet = Cluster(
        key="arxiv:1706.03762", members=(_member(3, "Transformer", Binding.EXPLICIT),), conflicting=False
    )
    table = conflicts_table((cluster, quiet))
    assert table is not None and table.row_count == 2
    text = render_text(_report((), (cluster, quiet)))
    assert "positional" in text and "SARIR" in text and "Transformer" not in text
    assert conflicts_table((quiet,)) is None


def test_short_capsule_names() -> None:
    assert short_capsule(capsule_id(1)) == "00000001"
    assert short_capsule("urn:capsule-audit:digest:f3b872fd4dc1edb2") == "f3b872fd"


def test_conflicts_table_shows_the_widest_conflicts_and_counts_the_rest() -> None:
    clusters = tuple(
        Cluster(
            key=f"arxiv:2604.{n:05d}",
            members=tuple(_member(k, f"M{k}", Binding.EXPLICIT) for k in range(2 + (n == 7))),
            conflicting=True,
        )
        for n in range(30)
    )
    table = conflicts_table(clusters, limit=5)
    assert table is not None
    keys = [cell for cell in table.columns[0].cells]
    assert keys[0] == "arxiv:2604.00007", "the identifier credited by the most capsules comes first"
    assert len(set(keys)) == 5
    assert table.caption is not None and "25" in str(table.caption)


def test_a_credit_shared_by_many_capsules_is_one_row_with_a_count() -> None:
    members = (
        *tuple(_member(n, "RGO", Binding.EXPLICIT) for n in range(40)),
        _member(99, "SARIR", Binding.EXPLICIT),
    )
    table = conflicts_table((Cluster(key="arxiv:2604.01234", members=members, conflicting=True),))
    assert table is not None and table.row_count == 2
    capsules = list(table.columns[1].cells)
    methods = list(table.columns[2].cells)
    assert methods[0] == "RGO" and capsules[0].endswith("+39")
    assert methods[1] == "SARIR" and "+" not in capsules[1]


@pytest.fixture(scope="module")
def synth_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "synth-1000.ndjson"
    path.write_bytes(b"".join(generate(1000, conflicts=True)))
    return path


@pytest.mark.parametrize("limit", [1, 4, 25, 10_000])
def test_the_store_ranks_the_conflicts_table_as_a_stream_of_its_clusters_would(
    synth_dump: Path, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ranked and counted in SQL, no cluster rebuilt: the same table, caption and count as
    # reading every cluster (ties of reach at the cut, more conflicts than shown, fewer).
    with audit_stream([str(synth_dump)], AuditConfig(now=NOW, jobs=1)) as result:
        streamed = list(result.clusters)
        widest, seen = result.clusters.widest_conflicts(limit)
        with monkeypatch.context() as patched:
            patched.setattr(clusters, "iter_clusters", _not_rebuilt)
            from_store = conflicts_table(result.clusters, limit=limit)
    assert seen == sum(c.conflicting for c in streamed) > 4
    assert len(widest) == min(limit, seen)
    from_stream = conflicts_table(iter(streamed), limit=limit)
    assert from_store is not None and from_stream is not None
    assert _rendered(from_store) == _rendered(from_stream)


def _not_rebuilt(*args: object, **kwargs: object) -> NoReturn:
    raise AssertionError("a cluster was rebuilt")


def _rendered(table: object) -> str:
    out = io.StringIO()
    Console(file=out, width=110, no_color=True, highlight=False, soft_wrap=True, emoji=False).print(table)
    return out.getvalue()
