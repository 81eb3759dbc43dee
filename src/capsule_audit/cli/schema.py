"""`capsule-audit schema record|claim|report`: the JSON Schema of an output model."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from pydantic import BaseModel

from capsule_audit.cli.app import app
from capsule_audit.models.records import CapsuleRecord
from capsule_audit.models.report import ClaimEntry
from capsule_audit.reporters.json_report import report_json_schema


class SchemaName(StrEnum):
    RECORD = "record"
    CLAIM = "claim"
    REPORT = "report"


MODELS: dict[SchemaName, type[BaseModel]] = {
    SchemaName.RECORD: CapsuleRecord,
    SchemaName.CLAIM: ClaimEntry,  # as `capsule-audit claims` and the report write a claim
}


@app.command("schema")
def schema_command(
    name: Annotated[SchemaName, typer.Argument(help="Which model: record, claim or report.")],
) -> None:
    """Print the JSON Schema (draft 2020-12) of records, claims or the report, as serialized."""
    # The report schema is the published one (with $id and dialect), the others come from the models.
    if name is SchemaName.REPORT:
        schema = report_json_schema()
    else:
        schema = MODELS[name].model_json_schema(mode="serialization")
    typer.echo(json.dumps(schema, indent=2, sort_keys=True))
