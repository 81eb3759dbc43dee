"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; the rules from the registry (plus any code a finding carries that the registry lacks),
each with its docstring as `fullDescription`; one result per finding, located at its input file.
A finding with a text span gets a region on the span's characters as the file holds them
(`reporters.regions`: lines, UTF-16 columns and offsets, bytes); others the line of their
document. `run.columnKind` is "utf16CodeUnits".
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

import orjson

from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.report import CapsuleEntry
from capsule_audit.models.verdicts import verdict_counts
from capsule_audit.reporters.common import (
    ReportSource,
    capsules_of,
    finding_file,
    finding_line,
    most_important,
)
from capsule_audit.reporters.regions import Located, regions_in
from capsule_audit.rules.base import Rule
from capsule_audit.rules.registry import BUILTIN_RULES

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
MAX_RESULTS = 25_000  # GitHub code scanning's limit per run
FINGERPRINT_KEY = "capsuleAudit/v1"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_BASELINE_STATES = {"new": "new", "baseline": "unchanged"}


def artifact_uri(path: str) -> str:
    """A URI reference for an input path: relative paths stay relative (code scanning wants them)."""
    if os.path.isabs(path):
        return PurePath(path).as_uri()
    return quote(path.replace(os.sep, "/"), safe="/")


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    doc = rule.doc.strip() or rule.name
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary or rule.name},
        "fullDescription": {"text": doc, "markdown": doc},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {"family": rule.family, "version": rule.version, "scope": rule.scope.value},
    }


def _unknown_rule(finding: Finding) -> dict[str, Any]:
    # A finding from a rule the registry does not list (a plug-in, an older report): describe it
    # from the finding so that every result still has its rule.
    return {
        "id": finding.rule,
        "name": finding.name,
        "shortDescription": {"text": finding.name},
        "fullDescription": {"text": finding.name},
        "defaultConfiguration": {"level": _LEVELS[finding.severity]},
    }


def _scan(findings: Iterable[Finding], max_results: int) -> tuple[list[dict[str, Any]], list[Finding], int]:
    """One pass: the rule descriptors (registry and unknown codes), the worst findings, the count."""
    descriptors = {rule.code: _rule_descriptor(rule) for rule in BUILTIN_RULES}
    total = 0

    def noted() -> Iterator[Finding]:
        nonlocal total
        for finding in findings:
            total += 1
            if finding.rule not in descriptors:
                descriptors[finding.rule] = _unknown_rule(finding)
            yield finding

    kept = most_important(noted(), max_results)
    return [descriptors[code] for code in sorted(descriptors)], kept, total


def _regions(findings: list[Finding], paths: list[str]) -> list[Located | None]:
    """The region of each finding's span in its file, each file read once."""
    per_path: dict[str, list[int]] = {}
    for n, path in enumerate(paths):
        per_path.setdefault(path, []).append(n)
    found: list[Located | None] = [None] * len(findings)
    for path, indexes in per_path.items():
        for n, located in zip(indexes, regions_in(path, [findings[n] for n in indexes]), strict=True):
            found[n] = located
    return found


def _result(
    finding: Finding,
    capsules: dict[str, CapsuleEntry],
    path: str,
    located: Located | None,
    rule_index: dict[str, int],
) -> dict[str, Any]:
    properties: dict[str, Any] = {"severity": finding.severity.value, "capsules": list(finding.capsules)}
    if located is None:
        region: dict[str, Any] = {"startLine": finding_line(finding, capsules) or 1}
    else:
        region, decompressed = located
        if decompressed:
            properties["regionOf"] = "decompressed"
    for name in ("pointer", "field", "capsule"):
        value = getattr(finding.location, name)
        if value is not None:
            properties[name] = value
    if finding.key is not None:
        properties["key"] = finding.key
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index[finding.rule],
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(path)}, "region": region}}
        ],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }
    if finding.baseline is not None:
        result["baselineState"] = _BASELINE_STATES[finding.baseline]
    return result


def build_sarif(report: ReportSource, *, max_results: int = MAX_RESULTS) -> dict[str, Any]:
    """The SARIF log as JSON values; at most `max_results` results, the worst kept first.

    Reads the findings once and holds `max_results` of them at most, so an audit streamed from
    disk is never held whole.
    """
    rules, kept, total = _scan(report.findings, max_results)
    rule_index = {descriptor["id"]: i for i, descriptor in enumerate(rules)}
    capsules = capsules_of(report, kept)
    default_path = report.run.inputs[0] if report.run.inputs else "-"
    paths = [finding_file(finding, capsules) or default_path for finding in kept]
    regions = _regions(kept, paths)
    notifications: list[dict[str, Any]] = []
    if total > len(kept):
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{total - len(kept)} of {total} findings were left out: "
                    f"SARIF consumers accept at most {max_results} results per run. "
                    "The JSON report holds them all."
                },
            }
        )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": report.tool.name,
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": rules,
            }
        },
        "invocations": [
            {
                "executionSuccessful": True,
                "startTimeUtc": report.run.started.isoformat(),
                "toolExecutionNotifications": notifications,
            }
        ],
        "columnKind": "utf16CodeUnits",  # what JavaScript viewers count; `reporters.regions`
        "results": [
            _result(finding, capsules, path, located, rule_index)
            for finding, path, located in zip(kept, paths, regions, strict=True)
        ],
        "properties": {"summary": report.summary.model_dump(mode="json")},
    }
    if report.verdicts:  # --online: one verdict per cited identifier, with its evidence
        run["properties"]["verdicts"] = [v.model_dump(mode="json") for v in report.verdicts]
        run["properties"]["verdictCounts"] = verdict_counts(report.verdicts)
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(report: ReportSource) -> str:
    """The SARIF log, indented, ending with a newline."""
    return orjson.dumps(build_sarif(report), option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
