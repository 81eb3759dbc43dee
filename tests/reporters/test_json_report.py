"""The JSON report: validates against its own schema, reads back equal, stable bytes."""

from __future__ import annotations

import json

import jsonschema
import pytest

from capsule_audit.models.report import BaselineInfo, Report
from capsule_audit.reporters.json_report import load_report, render_json, report_json_schema
from tests.reporters.sample_report import sample_report


def test_the_report_validates_against_the_published_schema() -> None:
    schema = report_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(render_json(sample_report())), schema, cls=jsonschema.Draft202012Validator)


def test_the_schema_rejects_a_report_missing_a_required_part() -> None:
    data = json.loads(render_json(sample_report()))
    del data["summary"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, report_json_schema(), cls=jsonschema.Draft202012Validator)


def test_a_report_with_a_baseline_validates_too() -> None:
    report = sample_report().model_copy(update={"baseline": BaselineInfo(path="b.json", new=1, baseline=3)})
    jsonschema.validate(json.loads(render_json(report)), report_json_schema())


def test_the_report_reads_back_equal() -> None:
    report = sample_report()
    assert load_report(render_json(report)) == report


def test_keys_are_sorted_so_runs_are_byte_identical() -> None:
    data = json.loads(render_json(sample_report()))

    def check(value: object) -> None:
        if isinstance(value, dict):
            assert list(value) == sorted(value)
            for item in value.values():
                check(item)
        elif isinstance(value, list):
            for item in value:
                check(item)

    check(data)
    assert data["schema_version"] == Report.model_fields["schema_version"].default
