"""JUnit XML for CI test dashboards: a testcase per capsule, a failure per finding.

Clean capsules are passing testcases, so a dashboard shows how much of the batch is sound.
Findings about documents that never became a capsule (rejected input) get a testcase per
document. A finding involving several capsules fails each of their testcases.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from capsule_audit.models.findings import Finding
from capsule_audit.models.report import Report
from capsule_audit.reporters.common import by_importance, capsule_index

# Characters XML 1.0 forbids even when escaped; capsule text is untrusted and may hold them.
_XML_INVALID = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


_LISTED_CAPSULES = 10
"""A failure lists the other capsules of a finding up to this many; past it, only their number."""


def _failure_body(finding: Finding, capsule: str | None) -> str:
    """The failure text in one testcase: the finding's evidence from `capsule` only.

    A finding naming N capsules fails N testcases; repeating every capsule's evidence in each made
    the document grow with N squared (hundreds of MB for a dump-wide export cut).
    """
    lines = [f"severity: {finding.severity.value}", f"fingerprint: {finding.fingerprint}"]
    if finding.key:
        lines.append(f"key: {finding.key}")
    if len(finding.capsules) <= _LISTED_CAPSULES:
        if finding.capsules:
            lines.append("capsules: " + ", ".join(finding.capsules))
    else:
        lines.append(f"capsules: {len(finding.capsules)} (listed in the JSON and SARIF reports)")
    if finding.location.file:
        where = finding.location.file + (f":{finding.location.line}" if finding.location.line else "")
        lines.append(f"location: {where}")
    for evidence in finding.evidence:
        if capsule is None or evidence.capsule == capsule:
            lines.append(f"evidence ({evidence.capsule}): {evidence.text}")
    return "\n".join(lines)


def _document_key(finding: Finding) -> tuple[str, str]:
    where = finding.location.file or "-"
    inside = finding.location.pointer or (str(finding.location.line) if finding.location.line else "")
    return where, f"{where}#{inside}" if inside else where


def build_junit(report: Report) -> ET.Element:
    """The `<testsuites>` element."""
    entries = capsule_index(report)
    by_capsule: dict[str, list[Finding]] = defaultdict(list)
    by_document: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in by_importance(report.findings):
        if finding.capsules:
            for capsule in finding.capsules:
                by_capsule[capsule].append(finding)
        else:
            by_document[_document_key(finding)].append(finding)

    # (classname, name, the capsule whose evidence is shown or None for a document, findings)
    cases: list[tuple[str, str, str | None, list[Finding]]] = []
    for entry in sorted(report.capsules, key=lambda e: (e.source.path, e.source.line or 0, e.id)):
        cases.append((entry.source.path, entry.id, entry.id, by_capsule.get(entry.id, [])))
    for capsule in sorted(set(by_capsule) - set(entries)):  # named by a finding, never a record
        first = by_capsule[capsule][0]
        cases.append((first.location.file or "-", capsule, capsule, by_capsule[capsule]))
    for (path, name), findings in sorted(by_document.items()):
        cases.append((path, name, None, findings))

    failing = sum(1 for *_, findings in cases if findings)
    counts = {"tests": str(len(cases)), "failures": str(failing), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": report.tool.name, **counts})
    suite = ET.SubElement(
        root,
        "testsuite",
        {"name": report.tool.name, **counts, "timestamp": report.run.started.isoformat(), "time": "0"},
    )
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", {"name": "version", "value": report.tool.version})
    ET.SubElement(props, "property", {"name": "schema_version", "value": report.schema_version})
    for classname, name, shown, findings in cases:
        case = ET.SubElement(suite, "testcase", {"classname": _clean(classname), "name": _clean(name)})
        for finding in findings:
            failure = ET.SubElement(
                case,
                "failure",
                {"type": f"{finding.rule} {finding.name}", "message": _clean(finding.message)},
            )
            failure.text = _clean(_failure_body(finding, shown))
    return root


def render_junit(report: Report) -> str:
    """The JUnit XML document, indented, with an XML declaration."""
    root = build_junit(report)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
