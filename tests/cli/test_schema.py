"""`capsule-audit schema`: JSON Schemas that validate what the tool writes."""

from __future__ import annotations

import json

import jsonschema
import pytest
from typer.testing import CliRunner

from capsule_audit.cli import app
from tests.conftest import SEEDS

RUNNER = CliRunner()


@pytest.mark.parametrize("name", ["record", "claim", "report"])
def test_schema_is_valid_json_schema(name: str) -> None:
    result = RUNNER.invoke(app, ["schema", name])
    assert result.exit_code == 0, result.output
    jsonschema.Draft202012Validator.check_schema(json.loads(result.stdout))


def test_normalized_records_validate_against_record_schema() -> None:
    schema = json.loads(RUNNER.invoke(app, ["schema", "record"]).stdout)
    out = RUNNER.invoke(app, ["normalize", str(SEEDS)]).stdout
    for line in out.splitlines():
        jsonschema.validate(json.loads(line), schema)


def test_unknown_schema_is_usage_error() -> None:
    assert RUNNER.invoke(app, ["schema", "nope"]).exit_code == 2


def test_report_schema_is_the_published_one() -> None:
    schema = json.loads(RUNNER.invoke(app, ["schema", "report"]).stdout)
    assert schema["$id"] and schema["$schema"].endswith("2020-12/schema")
    assert {"summary", "findings", "claims", "clusters"} <= set(schema["properties"])
