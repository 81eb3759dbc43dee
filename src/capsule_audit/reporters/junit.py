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
from typing import Any, TextIO

from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.report import Report
from capsule_audit.reporters.common import ReportSource, importance
from capsule_audit.store.database import BUFFER_ROWS, Store

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
_FAILURE = "kind VARCHAR, message VARCHAR, body VARCHAR, note BOOLEAN"
_RANK = "r0 INTEGER, r1 VARCHAR, r2 VARCHAR, r3 VARCHAR, n BIGINT"  # `importance`, report order


def _failure(finding: Finding, shown: str | None) -> Failure:
    kind, body = f"{finding.rule} {finding.name}", _clean(_failure_body(finding, shown))
    return kind, _clean(finding.message), body, finding.severity is Severity.INFO


# Testcases in document order: capsule entries by (file, line, id, position), then capsules only
# findings name (by id, in the file of their worst finding), then documents that never became a
# capsule (by file and place). A testcase's failures are its findings worst first, report order
# on ties. Every ORDER BY is a total order.
_CASES = """
CREATE TABLE {cases} AS
WITH found AS (
    SELECT capsule, list(file ORDER BY r0, r1, r2, r3, n)[1] AS file, bool_or(NOT note) AS failing,
        list({'kind': kind, 'message': message, 'body': body, 'note': note} ORDER BY r0, r1, r2, r3, n) AS failures
    FROM {rows} GROUP BY capsule
)
SELECT 0 AS section, e.path AS path, e.line AS line, e.id AS name, e.position AS position, e.path AS classname,
    coalesce(f.failing, false) AS failing, f.failures
FROM {entries} e LEFT JOIN found f ON f.capsule = e.id
UNION ALL
SELECT 1, NULL, NULL, f.capsule, NULL, f.file, f.failing, f.failures
FROM found f ANTI JOIN {entries} e ON e.id = f.capsule
UNION ALL
SELECT 2, path, NULL, name, NULL, path, bool_or(NOT note),
    list({'kind': kind, 'message': message, 'body': body, 'note': note} ORDER BY r0, r1, r2, r3, n)
FROM {documents} GROUP BY path, name
"""


def _cases(source: ReportSource, store: Store) -> str:
    """The table of every testcase (see `_CASES`), joined in the store: no dict of every
    capsule's findings is held, though a finding naming 30,000 capsules fails 30,000 testcases."""
    by_capsule: list[tuple[Any, ...]] = []
    by_document: list[tuple[Any, ...]] = []
    rows = store.table("junit_rows", f"capsule VARCHAR, file VARCHAR, {_RANK}, {_FAILURE}", ())
    documents = store.table("junit_documents", f"path VARCHAR, name VARCHAR, {_RANK}, {_FAILURE}", ())
    for n, finding in enumerate(source.findings):
        rank = (*importance(finding), n)
        if finding.capsules:
            for capsule in finding.capsules:
                by_capsule.append((capsule, finding.location.file or "-", *rank, *_failure(finding, capsule)))
        else:
            by_document.append((*_document_key(finding), *rank, *_failure(finding, None)))
        for table, batch in ((rows, by_capsule), (documents, by_document)):
            if len(batch) >= BUFFER_ROWS:
                store.append_rows(table, batch)
                batch.clear()
    store.append_rows(rows, by_capsule)
    store.append_rows(documents, by_document)
    entries = store.table(
        "junit_entries",
        "id VARCHAR, position BIGINT, path VARCHAR, line BIGINT",
        (
            (entry.id, position, entry.source.path, entry.source.line or 0)
            for position, entry in enumerate(source.capsules)
        ),
    )
    cases = f"{rows}_cases"
    query = _CASES.replace("{rows}", rows).replace("{documents}", documents).replace("{entries}", entries)
    store.con.execute(query.replace("{cases}", cases))
    for table in (rows, documents, entries):
        store.con.execute(f"DROP TABLE {table}")
    return cases


def _failures(listed: list[dict[str, Any]] | None) -> tuple[Failure, ...]:
    return tuple((x["kind"], x["message"], x["body"], x["note"]) for x in listed or ())


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


def write_junit(source: ReportSource, out: TextIO, *, store: Store | None = None) -> None:
    """The JUnit XML document (indented, with an XML declaration), written case by case; the
    testcases are joined in `store` (the audit's; a temporary one for a Report)."""
    own = Store() if store is None else None
    db = own or store
    assert db is not None
    try:
        cases = _cases(source, db)
        try:
            _write(source, out, db, cases)
        finally:
            db.con.execute(f"DROP TABLE {cases}")
    finally:
        if own is not None:
            own.close()


def _write(source: ReportSource, out: TextIO, store: Store, cases: str) -> None:
    counted = f"SELECT count(*), count(*) FILTER (WHERE failing) FROM {cases}"
    ((tests, failing),) = store.con.execute(counted).fetchall()
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
    ordered = f"SELECT classname, name, failures FROM {cases} ORDER BY section, path, line, name, position"
    for classname, name, failures in store.scan(ordered):
        out.write(_testcase(classname, name, _failures(failures)))
    out.write(tail)


def render_junit(report: Report) -> str:
    """The JUnit XML document of a report in memory."""
    buffer = io.StringIO()
    write_junit(report, buffer)
    return buffer.getvalue()
