"""SARIF 2.1.0: validates against the OASIS schema and carries what code scanning needs."""

from __future__ import annotations

import json

import jsonschema
import pytest

from capsule_audit.models.findings import Severity
from capsule_audit.reporters.sarif import FINGERPRINT_KEY, artifact_uri, build_sarif, render_sarif
from capsule_audit.rules.registry import BUILTIN_RULES
from tests.conftest import require_reference
from tests.reporters.sample_report import BROKEN, NEW, finding, sample_report


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, object]:
    path = require_reference("sarif-schema-2.1.0.json")
    schema: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def test_the_log_validates_against_the_sarif_schema(sarif_schema: dict[str, object]) -> None:
    log = json.loads(render_sarif(sample_report()))
    jsonschema.validate(log, sarif_schema)
    assert log["version"] == "2.1.0"


def test_every_registry_rule_is_described_from_its_docstring() -> None:
    rules = {r["id"]: r for r in build_sarif(sample_report())["runs"][0]["tool"]["driver"]["rules"]}
    for rule in BUILTIN_RULES:
        assert rules[rule.code]["fullDescription"]["text"] == rule.doc.strip()
        assert rules[rule.code]["name"] == rule.name
    assert all("helpUri" not in r for r in rules.values())


def test_each_finding_is_a_located_result_with_its_fingerprint() -> None:
    report = sample_report()
    run = build_sarif(report)["runs"][0]
    by_fingerprint = {r["partialFingerprints"][FINGERPRINT_KEY]: r for r in run["results"]}
    assert set(by_fingerprint) == {f.fingerprint for f in report.findings}
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for f in report.findings:
        result = by_fingerprint[f.fingerprint]
        assert result["ruleId"] == f.rule and rule_ids[result["ruleIndex"]] == f.rule
        assert result["message"]["text"] == f.message
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[f.severity.value]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1
        if f.location.line is not None:
            assert region["startLine"] == f.location.line
        # The sample's files do not exist: a span is never written as a file offset unread
        # (tests/reporters/test_regions.py reads regions back from real files).
        assert "charOffset" not in region


def test_results_point_at_the_input_file() -> None:
    report = sample_report()
    results = build_sarif(report)["runs"][0]["results"]
    uris = {r["partialFingerprints"][FINGERPRINT_KEY]: r["locations"][0]["physicalLocation"] for r in results}
    conflict = next(f for f in report.findings if f.rule == "CA401")
    rejected = next(f for f in report.findings if not f.capsules)
    assert uris[conflict.fingerprint]["artifactLocation"]["uri"] == NEW
    assert uris[rejected.fingerprint]["artifactLocation"]["uri"] == BROKEN
    # A finding with no location of its own points at its capsule's source, at its line.
    lonely = next(f for f in report.findings if f.location.file is None and f.capsules)
    entry = next(c for c in report.capsules if c.id == lonely.capsules[0])
    assert uris[lonely.fingerprint]["artifactLocation"]["uri"] == entry.source.path
    assert uris[lonely.fingerprint]["region"]["startLine"] == entry.source.line


def test_uris_are_relative_references_or_file_uris() -> None:
    assert artifact_uri("batch/a b.json") == "batch/a%20b.json"
    assert artifact_uri("/data/x.json") == "file:///data/x.json"


def test_results_past_the_limit_are_cut_worst_first_and_said_so(sarif_schema: dict[str, object]) -> None:
    many = tuple(
        finding("CA303", "date-after-creation", Severity.INFO, f"info {i}", (1,), identity=str(i))
        for i in range(5)
    )
    report = sample_report((*many, *sample_report().findings))
    log = build_sarif(report, max_results=3)
    jsonschema.validate(log, sarif_schema)
    run = log["runs"][0]
    assert len(run["results"]) == 3
    assert [r["level"] for r in run["results"]][:2] == ["error", "error"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1 and str(len(report.findings) - 3) in notes[0]["message"]["text"]
    assert build_sarif(sample_report())["runs"][0]["invocations"][0]["toolExecutionNotifications"] == []


def test_baseline_state_is_carried() -> None:
    report = sample_report()
    marked = report.model_copy(
        update={"findings": tuple(f.model_copy(update={"baseline": "new"}) for f in report.findings)}
    )
    assert {r["baselineState"] for r in build_sarif(marked)["runs"][0]["results"]} == {"new"}
