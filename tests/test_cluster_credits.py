"""A cluster's credits counted in SQL (`count_credits`) are those counted from its members
(`credits_of`): labels merging several (method, acronym) pairs, a capsule under several credits,
bindings inherited from a shared tuple or an item's Source line."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from capsule_audit.api import audit_stream
from capsule_audit.cluster_credits import Label, count_credits, credits_of
from capsule_audit.config import AuditConfig
from capsule_audit.reporters.text_tables import _method
from tests.rules.capsules import NOW, capsule_id

ITEM = (
    "## Methods\n\n1. **Method Alpha (MA)**\n"
    "   Result 0 holds arXiv:2601.00001. Finding 1 is stated. Result 2 holds arXiv:2601.00002. "
    "Finding 3 is stated.\n   Source: https://example.org/alpha\n\n"
    "## Key Findings\n\nMA improves task 4.\n"
)
TEXTS = (
    ITEM,
    ITEM.replace("Method Alpha (MA)", "Other Beta (OB)").replace("MA improves", "OB improves"),
    "## Key Findings\n- Method Alpha (MA) was introduced in arXiv:2601.00001 by MIT researchers.\n",
    "## Key Findings\n- MA was introduced in arXiv:2601.00001 (Stanford University).\n"
    "- Method Alpha reaches 40% on task 2, see https://example.org/alpha.\n",
    "## Key Findings\n- Method Alpha was introduced in arXiv:2601.00001.\n"
    "- Gamma Method (GM) cites arXiv:2601.00002 too.\n",
    "## Key Findings\n- A survey lists arXiv:2601.00001.\n\n## Sources\n- arXiv:2601.00002\n",
)


def _one_label(method: str | None, acronym: str | None) -> str:
    """A label merging every (method, acronym) pair, the missing one included."""
    return "any method"


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("credits") / "dump.ndjson"
    lines = [
        orjson.dumps(
            {
                "@context": "https://schema.org",
                "@type": "CreativeWork",
                "@id": capsule_id(n),
                "name": f"C{n}",
                "text": text,
            }
        )
        for n, text in enumerate(TEXTS, start=1)
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.mark.parametrize("label", [_method, _one_label])
@pytest.mark.parametrize("rows", [1, 6])
def test_the_store_counts_every_clusters_credits_as_its_members_do(
    dump: Path, label: Label, rows: int
) -> None:
    with audit_stream([str(dump)], AuditConfig(now=NOW, jobs=1)) as result:
        clusters = list(result.clusters)
        keys = [c.key for c in clusters]
        counted = count_credits(result.clusters.store, keys, label, rows)
    assert {"arxiv:2601.00001", "arxiv:2601.00002", "url:https://example.org/alpha"} <= set(keys)
    assert counted == {c.key: credits_of(c, label, rows) for c in clusters}
    if rows > 1:  # not every member is bound alike; credits of different widths
        assert {credit.binding for credits in counted.values() for credit in credits.shown} >= {
            "explicit",
            "listed",
        }
        assert any(len({c.capsules for c in credits.shown}) > 1 for credits in counted.values())


def test_a_label_shared_by_two_pairs_is_one_credit(dump: Path) -> None:
    with audit_stream([str(dump)], AuditConfig(now=NOW, jobs=1)) as result:
        by_pair = count_credits(result.clusters.store, ["arxiv:2601.00001"], _method, 10)
        merged = count_credits(result.clusters.store, ["arxiv:2601.00001"], _one_label, 10)
    assert merged["arxiv:2601.00001"].total < by_pair["arxiv:2601.00001"].total


def test_a_source_lines_credit_takes_the_binding_of_the_line(dump: Path) -> None:
    # Capsule 1's claims reach the URL through its item's Source line (shared by the claims
    # citing their own papers, `item_sources`) or the item's every citation (`citations`).
    with audit_stream([str(dump)], AuditConfig(now=NOW, jobs=1)) as result:
        counted = count_credits(result.clusters.store, ["url:https://example.org/alpha"], _method, 6)
    (alpha,) = [c for c in counted["url:https://example.org/alpha"].shown if c.label == "Method Alpha (MA)"]
    assert (alpha.binding, alpha.capsules, alpha.first) == ("explicit", 1, capsule_id(1))
