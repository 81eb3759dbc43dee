"""The editors' JSON report: `Report.model_dump(mode="json")`, keys sorted, and its JSON Schema.

Keys are sorted at every level so that two runs over the same input give byte-identical files
whatever order the engine happened to fill its dictionaries in.
"""

from __future__ import annotations

from typing import Any

import orjson

from capsule_audit.models.report import REPORT_SCHEMA_VERSION, Report

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = f"https://capsule-audit.invalid/schema/report-{REPORT_SCHEMA_VERSION}.json"


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON values (what `render_json` serializes)."""
    return report.model_dump(mode="json")


def render_json(report: Report) -> str:
    """The JSON report: indented, keys sorted, ending with a newline."""
    data = orjson.dumps(report_to_dict(report), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    return data.decode("utf-8") + "\n"


def load_report(text: str | bytes) -> Report:
    """Read a JSON report back (for `capsule-audit diff`); raises pydantic.ValidationError."""
    return Report.model_validate(orjson.loads(text))


def report_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the JSON report, printed by `capsule-audit schema report`.

    Serialization mode: it describes what `render_json` writes, computed fields included.
    """
    schema = Report.model_json_schema(mode="serialization")
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": "capsule-audit report",
        "description": (
            f"The JSON report of capsule-audit, schema_version {REPORT_SCHEMA_VERSION} "
            "(semver: a field added is a minor bump, a field removed or changed a major)."
        ),
        **{key: value for key, value in schema.items() if key not in ("title", "description")},
    }
