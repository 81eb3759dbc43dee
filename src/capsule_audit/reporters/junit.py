"""JUnit XML for CI test dashboards: a testcase per capsule, a failure per error or warning.

Clean capsules are passing testcases, so a dashboard shows how much of the batch is sound.
Info findings are notes, not faults: they go to the testcase's `<system-out>`, and a testcase
with only info findings passes (a dashboard must not show red for what fails no run).
Findings about documents that never became a capsule (rejected input) get a testcase per
document. A finding involving several capsules fails each of their testcases.
"""

from __future__ import annotations

import io
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any, TextIO

from capsule_audit.models.report import Report
from capsule_audit.reporters.common import ReportSource, importance
from capsule_audit.reporters.junit_cases import Failure, case_element, document_key, failure_of
from capsule_audit.store.database import BUFFER_ROWS, Store

_FAILURE = "kind VARCHAR, message VARCHAR, body_at BIGINT, body_size BIGINT, note BOOLEAN"
_RANK = "r0 INTEGER, r1 VARCHAR, r2 VARCHAR, r3 VARCHAR, n BIGINT"  # `importance`, report order


# Testcases in document order: capsule entries by (file, line, id, position), then capsules only
# findings name (by id, in the file of their worst finding), then documents that never became a
# capsule (by file and place). A testcase's failures are its findings worst first, report order
# on ties. One flat, sorted scan grouped into testcases as it is read; every ORDER BY is a total
# order. The failure texts (which quote capsule text) stay out of the sort, in a file of their
# own read back by offset: DuckDB 2.0 spills a sort of narrow rows to disk, but not one of wide
# text rows, nor a list per capsule (measured: out of memory at 10,000 synthetic capsules).
_CASES = """
SELECT 0 AS section, e.path, e.line, e.id AS name, e.position, r.r0, r.r1, r.r2, r.r3, r.n,
    r.file, r.kind, r.message, r.body_at, r.body_size, r.note
FROM {entries} e LEFT JOIN {rows} r ON r.capsule = e.id
UNION ALL
SELECT 1, NULL, NULL, r.capsule, NULL, r.r0, r.r1, r.r2, r.r3, r.n, r.file, r.kind, r.message, r.body_at,
    r.body_size, r.note
FROM {rows} r ANTI JOIN {entries} e ON e.id = r.capsule
UNION ALL
SELECT 2, path, NULL, name, NULL, r0, r1, r2, r3, n, path, kind, message, body_at, body_size, note
FROM {documents}
ORDER BY section, path, line, name, position, r0, r1, r2, r3, n
"""
_COUNTS = """
SELECT count(*), count(*) FILTER (WHERE failing) FROM (
    SELECT coalesce(f.failing, false) AS failing FROM {entries} e
    LEFT JOIN (SELECT capsule, bool_or(NOT note) AS failing FROM {rows} GROUP BY capsule) f ON f.capsule = e.id
    UNION ALL
    SELECT bool_or(NOT r.note) FROM {rows} r ANTI JOIN {entries} e ON e.id = r.capsule GROUP BY r.capsule
    UNION ALL
    SELECT bool_or(NOT note) FROM {documents} GROUP BY path, name
)
"""


class _Tables:
    """The working tables of one JUnit document in the store: filed once, read twice, dropped."""

    def __init__(self, source: ReportSource, store: Store) -> None:
        self.store = store
        # Failure texts, UTF-8 end to end; closed by `drop` (and gone with the store in any case).
        self.texts = tempfile.TemporaryFile(dir=store.directory)  # noqa: SIM115
        self._end = 0
        self.rows = store.table("junit_rows", f"capsule VARCHAR, file VARCHAR, {_RANK}, {_FAILURE}", ())
        self.documents = store.table(
            "junit_documents", f"path VARCHAR, name VARCHAR, {_RANK}, {_FAILURE}", ()
        )
        self.entries = ""
        self._file(source)

    def _file(self, source: ReportSource) -> None:
        by_capsule: list[tuple[Any, ...]] = []
        by_document: list[tuple[Any, ...]] = []
        for n, finding in enumerate(source.findings):
            rank = (*importance(finding), n)
            if finding.capsules:
                for capsule in finding.capsules:
                    failure = self._filed(failure_of(finding, capsule))
                    by_capsule.append((capsule, finding.location.file or "-", *rank, *failure))
            else:
                by_document.append((*document_key(finding), *rank, *self._filed(failure_of(finding, None))))
            if len(by_capsule) + len(by_document) >= BUFFER_ROWS:
                self._flush(by_capsule, by_document)
        self._flush(by_capsule, by_document)
        self.entries = self.store.table(
            "junit_entries",
            "id VARCHAR, position BIGINT, path VARCHAR, line BIGINT",
            (
                (entry.id, position, entry.source.path, entry.source.line or 0)
                for position, entry in enumerate(source.capsules)
            ),
        )

    def _filed(self, failure: Failure) -> tuple[str, str, int, int, bool]:
        """The failure with its text written to the texts file: (kind, message, at, size, note)."""
        kind, message, text, note = failure
        data = text.encode("utf-8", "surrogatepass")
        self.texts.write(data)
        self._end += len(data)
        return kind, message, self._end - len(data), len(data), note

    def _text(self, at: int, size: int) -> str:
        self.texts.seek(at)
        return self.texts.read(size).decode("utf-8", "surrogatepass")

    def _flush(self, by_capsule: list[tuple[Any, ...]], by_document: list[tuple[Any, ...]]) -> None:
        self.store.append_rows(self.rows, by_capsule)
        self.store.append_rows(self.documents, by_document)
        by_capsule.clear()
        by_document.clear()

    def _query(self, template: str) -> str:
        return (
            template.replace("{rows}", self.rows)
            .replace("{documents}", self.documents)
            .replace("{entries}", self.entries)
        )

    def counts(self) -> tuple[int, int]:
        """(testcases, failing testcases)."""
        ((tests, failing),) = self.store.con.execute(self._query(_COUNTS)).fetchall()
        return tests, failing

    def cases(self) -> Iterator[tuple[str, str, tuple[Failure, ...]]]:
        """(classname, name, failures) of every testcase, in document order."""
        rows = self.store.scan(self._query(_CASES))
        for _, same in groupby(rows, key=itemgetter(0, 1, 2, 3, 4)):
            found = list(same)
            section, path, _, name = found[0][:4]
            classname = found[0][10] if section == 1 else path  # a finding-only capsule: its worst finding's
            failures = tuple(
                (r[11], r[12], self._text(r[13], r[14]), r[15]) for r in found if r[11] is not None
            )
            yield classname, name, failures

    def drop(self) -> None:
        self.texts.close()
        for table in (self.rows, self.documents, self.entries):
            if table:
                self.store.con.execute(f"DROP TABLE {table}")


_CASES_HERE = "@capsule-audit-testcases@"


def write_junit(source: ReportSource, out: TextIO, *, store: Store | None = None) -> None:
    """The JUnit XML document (indented, with an XML declaration), written case by case; the
    testcases are joined in `store` (the audit's; a temporary one for a Report)."""
    own = Store() if store is None else None
    db = own or store
    assert db is not None
    try:
        tables = _Tables(source, db)
        try:
            _write(source, out, tables)
        finally:
            tables.drop()
    finally:
        if own is not None:
            own.close()


def _write(source: ReportSource, out: TextIO, tables: _Tables) -> None:
    tests, failing = tables.counts()
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
    for classname, name, failures in tables.cases():
        out.write(case_element(classname, name, failures))
    out.write(tail)


def render_junit(report: Report) -> str:
    """The JUnit XML document of a report in memory."""
    buffer = io.StringIO()
    write_junit(report, buffer)
    return buffer.getvalue()
