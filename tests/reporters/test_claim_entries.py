"""The JSON report's claim entries: a tuple several claims share is written once and read back
shared; 1.x reports (every claim holding its copy) are still read, and diffed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import orjson
from typer.testing import CliRunner

from capsule_audit import api
from capsule_audit.claims.extract import extract
from capsule_audit.cli import app
from capsule_audit.config import AuditConfig
from capsule_audit.models.report import Report
from capsule_audit.reporters.claim_entries import claim_entries
from capsule_audit.reporters.json_report import load_report, render_json, report_json_schema
from tests.reporters.sample_report import sample_report
from tests.rules.capsules import NOW, capsule_id, record

ITEM = (
    "## Methods\n\n1. **Method Alpha (MA)**\n"
    "   Result 0 holds arXiv:2601.00001.\n   Source: https://example.org/s1\n"
    "   Finding 1 is stated.\n"
    "   Result 2 holds arXiv:2601.00002.\n   Source: https://example.org/s3\n"
    "   Result 4 holds arXiv:2601.00004.\n"
)


def _capsule(n: int, text: str) -> str:
    data = {"@context": "https://schema.org", "@type": "CreativeWork", "@id": capsule_id(n), "text": text}
    return orjson.dumps({**data, "name": f"C{n}"}).decode()


def _report(tmp_path: Path, *texts: str) -> Report:
    path = tmp_path / "dump.ndjson"
    path.write_text("".join(_capsule(n, text) + "\n" for n, text in enumerate(texts, 1)), encoding="utf-8")
    return api.audit([str(path)], AuditConfig(now=NOW))


def _entries(report: Report) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(render_json(report))["claims"]
    return entries


def test_the_items_source_lines_are_written_once_and_named_by_the_later_claims(tmp_path: Path) -> None:
    report = _report(tmp_path, ITEM)
    entries = _entries(report)
    first = entries[0]["id"]
    assert [
        ([c["key"] for c in e["citations"]], [c["key"] for c in e["item_sources"]], e["item_sources_from"])
        for e in entries
        if e["text"].startswith("Result")
    ] == [
        (["arxiv:2601.00001"], ["url:https://example.org/s1", "url:https://example.org/s3"], None),
        (["arxiv:2601.00002"], [], first),
        (["arxiv:2601.00004"], [], first),
    ]
    (uncited,) = [e for e in entries if e["text"].startswith("Finding")]
    assert len(uncited["citations"]) == 5 and uncited["item_sources"] == []
    jsonschema.validate(
        json.loads(render_json(report)), report_json_schema(), cls=jsonschema.Draft202012Validator
    )


def test_claims_citing_nothing_name_the_first_holding_the_items_citations(tmp_path: Path) -> None:
    text = ITEM + "   Finding 5 is stated too.\n"
    entries = _entries(_report(tmp_path, text))
    uncited = [e for e in entries if e["text"].startswith("Finding")]
    assert [(len(e["citations"]), e["citations_from"]) for e in uncited] == [(5, None), (0, uncited[0]["id"])]


def test_the_report_reads_back_equal_with_its_shared_tuples_shared_again(tmp_path: Path) -> None:
    report = _report(tmp_path, ITEM + "   Finding 5 is stated too.\n", ITEM)
    loaded = load_report(render_json(report))
    assert loaded == report
    for capsule in (capsule_id(1), capsule_id(2)):
        claims = [c for c in loaded.claims if c.capsule == capsule]
        assert len({id(c.item_sources) for c in claims if c.item_sources}) == 1
    assert len({id(c.citations) for c in loaded.claims if c.text.startswith("Finding")}) == 2


def test_one_capsule_id_twice_names_each_documents_own_claims() -> None:
    # Two documents of one @id give claims of the same ids, each with its own Source lines.
    one = extract(record(1, text=ITEM)).claims
    two = extract(record(1, text=ITEM.replace("example.org/s3", "example.org/other"))).claims
    entries = list(claim_entries([*one, *two]))
    assert [e["item_sources_from"] for e in entries] == [None, None, one[0].id, one[0].id] * 2
    report = load_report(render_json(_with_claims((*one, *two))))
    assert report.claims == (*one, *two)


def _with_claims(claims: tuple[Any, ...]) -> Report:
    return sample_report().model_copy(update={"claims": claims})


def _as_1x(text: str) -> bytes:
    """The 1.3.0 form of a report: every claim with every citation it carries, nothing named."""
    data = json.loads(text)
    report = load_report(text)
    data["schema_version"] = "1.3.0"
    for entry, claim in zip(data["claims"], report.claims, strict=True):
        entry["citations"] = [c.model_dump(mode="json") for c in claim.all_citations]
        for key in ("item_sources", "item_sources_from", "citations_from"):
            del entry[key]
    return orjson.dumps(data)


def test_a_1x_report_is_read_with_each_claims_citations_as_written(tmp_path: Path) -> None:
    report = _report(tmp_path, ITEM)
    old = load_report(_as_1x(render_json(report)))
    assert old.schema_version == "1.3.0"
    assert old.findings == report.findings and old.clusters == report.clusters
    assert [c.citations for c in old.claims] == [c.all_citations for c in report.claims]
    assert all(c.item_sources == () for c in old.claims)


def test_diff_reads_a_1x_report_beside_a_2x_one(tmp_path: Path) -> None:
    report = _report(tmp_path, ITEM, ITEM.replace("Method Alpha (MA)", "Other Beta (OB)"))
    assert report.findings
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_bytes(_as_1x(render_json(report)))
    new.write_text(render_json(report), encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    diff = json.loads(result.output)
    assert (len(diff["new"]), len(diff["fixed"]), len(diff["unchanged"])) == (0, 0, len(report.findings))


def test_a_claim_naming_no_earlier_claim_is_not_a_report(tmp_path: Path) -> None:
    data = json.loads(render_json(_report(tmp_path, ITEM)))
    data["claims"][1]["item_sources_from"] = "0000000000000000"
    path = tmp_path / "broken.json"
    path.write_bytes(orjson.dumps(data))
    result = CliRunner().invoke(app, ["diff", str(path), str(path)])
    assert result.exit_code == 2
    assert "is not a capsule-audit JSON report" in result.output
