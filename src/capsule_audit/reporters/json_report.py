"""The editors' JSON report: `Report.model_dump(mode="json")`, keys sorted, and its JSON Schema.

Keys are sorted at every level so that two runs over the same input give byte-identical files
whatever order the engine happened to fill its dictionaries in. The claims are written as
entries (`reporters.claim_entries`): a tuple of citations several claims share, once.

`write_json` writes it item by item from a Report or an audit result whose lists stream from
the store (findings, capsules, claims, clusters, records), so a large report is never held
whole; `render_json` is the same writer into a string.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any, Protocol, TextIO

import orjson

from capsule_audit.models.claims import Claim
from capsule_audit.models.records import CapsuleRecord
from capsule_audit.models.report import (
    REPORT_SCHEMA_VERSION,
    Cluster,
    Report,
    ReportDocument,
)
from capsule_audit.reporters.claim_entries import claim_entries, resolved_claims
from capsule_audit.reporters.common import ReportSource

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = f"https://capsule-audit.invalid/schema/report-{REPORT_SCHEMA_VERSION}.json"


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON values (what `render_json` serializes)."""
    data = report.model_dump(mode="json", exclude={"claims"})
    data["claims"] = list(claim_entries(report.claims))
    return data


def render_json(report: Report) -> str:
    """The JSON report: indented, keys sorted, ending with a newline (`write_json` into a string)."""
    out = io.StringIO()
    write_json(report, out)
    return out.getvalue()


class JsonSource(ReportSource, Protocol):
    """A Report, or an audit result with the same fields whose lists stream from disk."""

    @property
    def claims(self) -> Iterable[Claim]: ...
    @property
    def clusters(self) -> Iterable[Cluster]: ...
    @property
    def records(self) -> Iterable[CapsuleRecord]: ...


STREAMED = ("capsules", "claims", "clusters", "findings", "records")
"""The report's long lists: written one item at a time."""
_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def _indented(value: Any, depth: int) -> str:
    """`value` as orjson writes it `depth` levels down an indented document."""
    return orjson.dumps(value, option=_OPTIONS).decode("utf-8").replace("\n", "\n" + "  " * depth)


def write_json(report: JsonSource, out: TextIO) -> None:
    """The JSON report (`Report.model_dump(mode="json")`, keys sorted), written list item by list item."""
    head = Report(
        schema_version=report.schema_version,
        tool=report.tool,
        run=report.run,
        summary=report.summary,
        baseline=report.baseline,
        verdicts=report.verdicts,
    ).model_dump(mode="json")
    out.write("{")
    for n, key in enumerate(sorted(head)):
        out.write(("," if n else "") + f"\n  {orjson.dumps(key).decode('utf-8')}: ")
        if key not in STREAMED:
            out.write(_indented(head[key], 1))
            continue
        items: Iterable[Any] = (
            claim_entries(report.claims)
            if key == "claims"
            else (item.model_dump(mode="json") for item in getattr(report, key))
        )
        count = 0
        for item in items:
            out.write(("," if count else "[") + "\n    " + _indented(item, 2))
            count += 1
        out.write("\n  ]" if count else "[]")
    out.write("\n}\n")


def load_report(text: str | bytes) -> Report:
    """Read a JSON report back (for `capsule-audit diff`), 1.x reports too; raises ValueError
    (pydantic.ValidationError, orjson.JSONDecodeError, a claim naming no earlier claim)."""
    document = ReportDocument.model_validate(orjson.loads(text))
    fields = {name: getattr(document, name) for name in Report.model_fields}
    fields["claims"] = tuple(resolved_claims(document.claims))
    return Report(**fields)


def report_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the JSON report, printed by `capsule-audit schema report`.

    Serialization mode: it describes what `render_json` writes, computed fields included.
    """
    schema = ReportDocument.model_json_schema(mode="serialization")
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": "capsule-audit report",
        "description": (
            f"The JSON report of capsule-audit, schema_version {REPORT_SCHEMA_VERSION} "
            "(semver: a field added is a minor bump, a field removed or changed a major). "
            "Spans count Unicode code points; every finding span also comes as `span_utf16` "
            "(UTF-16 code units, what JavaScript strings index)."
        ),
        **{key: value for key, value in schema.items() if key not in ("title", "description")},
    }
