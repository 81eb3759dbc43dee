"""JUnit XML for CI test dashboards: a testcase per capsule, a failure per error or warning.

Clean capsules are passing testcases, so a dashboard shows how much of the batch is sound.
Info findings are notes, not faults: they go to the testcase's `<system-out>`, and a testcase
with only info findings passes (a dashboard must not show red for what fails no run).
Findings about documents that never became a capsule (rejected input) get a testcase per
document. A finding involving several capsules fails each of their testcases.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from itertools import groupby
from operator import itemgetter
from typing import Any, TextIO

from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.report import Report
from capsule_audit.reporters.common import ReportSource, importance
from capsule_audit.store.spool import SortedSpool, Workspace

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


Failure = tuple[str, str, str, bool]
"""A failure element's type, message and text, and whether it is only a note (info)."""
Case = tuple[tuple[Any, ...], str, str, tuple[Failure, ...]]
"""A testcase: its sort key, classname, name and failures."""


def _failure(finding: Finding, shown: str | None) -> Failure:
    kind, body = f"{finding.rule} {finding.name}", _clean(_failure_body(finding, shown))
    return kind, _clean(finding.message), body, finding.severity is Severity.INFO


def _grouped(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, list[tuple[Any, ...]]]]:
    for key, own in groupby(rows, key=itemgetter(0)):
        yield key, list(own)


def _finding_only(capsule: str, own: list[tuple[Any, ...]]) -> Case:
    """The testcase of a capsule named by findings but never read as a record: in its worst finding's file."""
    return (1, capsule), own[0][3], capsule, tuple(row[4] for row in own)


def _cases(source: ReportSource, workspace: Workspace) -> SortedSpool[Case]:
    """Every testcase in document order, built by a sort-merge join on disk.

    Capsule entries in (file, line, id) order, then capsules only findings name (by id), then
    documents that never became a capsule (by file and place). A testcase's failures are its
    findings worst first, report order on ties. Rows `(capsule, importance, n, ...)` are sorted on
    disk and merged with the entries sorted by id: no dict of every capsule's findings is held,
    though a finding naming 30,000 capsules fails 30,000 testcases.
    """
    rows: SortedSpool[tuple[Any, ...]] = SortedSpool(workspace, itemgetter(0, 1, 2))
    documents: SortedSpool[tuple[Any, ...]] = SortedSpool(workspace, itemgetter(0, 1, 2))
    for n, finding in enumerate(source.findings):
        rank = importance(finding)
        if finding.capsules:
            for capsule in finding.capsules:
                rows.add((capsule, rank, n, finding.location.file or "-", _failure(finding, capsule)))
        else:
            documents.add((_document_key(finding), rank, n, _failure(finding, None)))
    entries: SortedSpool[tuple[str, int, str, int]] = SortedSpool(workspace, itemgetter(0, 1))
    for position, entry in enumerate(source.capsules):
        entries.add((entry.id, position, entry.source.path, entry.source.line or 0))

    cases: SortedSpool[Case] = SortedSpool(workspace, itemgetter(0))
    pending = _grouped(rows)
    head = next(pending, None)  # the rows of the next capsule id not yet joined
    for capsule, same_id in _grouped(entries):
        while head is not None and head[0] < capsule:
            cases.add(_finding_only(*head))
            head = next(pending, None)
        failures: tuple[Failure, ...] = ()
        if head is not None and head[0] == capsule:
            failures = tuple(row[4] for row in head[1])
            head = next(pending, None)
        for _, position, path, line in same_id:  # an id given twice: a testcase each
            cases.add(((0, path, line, capsule, position), path, capsule, failures))
    while head is not None:
        cases.add(_finding_only(*head))
        head = next(pending, None)
    for (path, name), found in _grouped(documents):
        cases.add(((2, path, name), path, name, tuple(row[3] for row in found)))
    return cases


def _failing(failures: tuple[Failure, ...]) -> bool:
    return any(not note for *_, note in failures)


def _testcase(classname: str, name: str, failures: tuple[Failure, ...]) -> str:
    case = ET.Element("testcase", {"classname": _clean(classname), "name": _clean(name)})
    notes: list[str] = []
    for kind, message, text, note in failures:
        if note:
            notes.append(f"{kind}: {message}\n{text}")
        else:
            ET.SubElement(case, "failure", {"type": kind, "message": message}).text = text
    if notes:
        ET.SubElement(case, "system-out").text = "\n\n".join(notes)
    ET.indent(case, level=2)
    return "    " + ET.tostring(case, encoding="unicode") + "\n"


_CASES_HERE = "@capsule-audit-testcases@"


def write_junit(source: ReportSource, out: TextIO, *, workspace: Workspace | None = None) -> None:
    """The JUnit XML document (indented, with an XML declaration), written case by case."""
    with Workspace() if workspace is None else nullcontext(workspace) as space:
        cases = _cases(source, space)
        tests, failing = 0, 0
        for _, _, _, failures in cases:
            tests += 1
            failing += _failing(failures)
        counts = {"tests": str(tests), "failures": str(failing), "errors": "0", "skipped": "0"}
        root = ET.Element("testsuites", {"name": source.tool.name, **counts})
        started = source.run.started.isoformat()
        suite = ET.SubElement(
            root, "testsuite", {"name": source.tool.name, **counts, "timestamp": started, "time": "0"}
        )
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", {"name": "version", "value": source.tool.version})
        ET.SubElement(props, "property", {"name": "schema_version", "value": source.schema_version})
        ET.SubElement(suite, "testcase", {"name": _CASES_HERE})  # where the cases go
        ET.indent(root)
        document = ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
        marker = f'    <testcase name="{_CASES_HERE}" />\n'
        head, tail = document.split(marker)
        out.write(head)
        for _, classname, name, failures in cases:
            out.write(_testcase(classname, name, failures))
        out.write(tail)


def render_junit(report: Report) -> str:
    """The JUnit XML document of a report in memory."""
    buffer = io.StringIO()
    write_junit(report, buffer)
    return buffer.getvalue()
