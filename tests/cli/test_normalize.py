"""`capsule-audit normalize`: NDJSON records on stdout, findings on stderr, exit codes."""

from __future__ import annotations

import json

from rdflib import Graph
from typer.testing import CliRunner

from capsule_audit.cli import app
from tests.conftest import FIXTURES, SEEDS

RUNNER = CliRunner()


def test_seeds_print_five_records() -> None:
    result = RUNNER.invoke(app, ["normalize", str(SEEDS)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["kind"] for r in records) == ["capsule"] * 4 + ["digest"]
    assert all("properties" in r and "source" in r for r in records)  # nothing excluded


def test_output_is_stable() -> None:
    first = RUNNER.invoke(app, ["normalize", str(SEEDS)]).stdout
    assert first == RUNNER.invoke(app, ["normalize", str(SEEDS)]).stdout


def test_rejected_documents_exit_1_with_findings_on_stderr() -> None:
    bad = FIXTURES / "jsonld" / "bad" / "CA004-trust-level-250.jsonld"
    result = RUNNER.invoke(app, ["normalize", str(SEEDS), str(bad)])
    assert result.exit_code == 1
    # The capsule with the invalid trust_level is still a record, without it; the field is reported.
    assert len(result.stdout.splitlines()) == 6
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{bad}") and " CA004 invalid-field-value: " in line


def test_stdin() -> None:
    data = (SEEDS / "000_ea5c0029181cb232.txt").read_bytes()
    result = RUNNER.invoke(app, ["normalize", "-"], input=data)
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["uuid"] == "223f9579-7bd4-418a-bf62-f72791e369f5"


def test_turtle_output_parses() -> None:
    result = RUNNER.invoke(app, ["normalize", "--to", "turtle", str(SEEDS)])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.stdout, format="turtle")
    subjects = {str(s) for s in graph.subjects() if not str(s).startswith("N")}
    assert "https://forgecascade.org/public/capsules/223f9579-7bd4-418a-bf62-f72791e369f5" in subjects


def test_nquads_output_parses() -> None:
    result = RUNNER.invoke(app, ["normalize", "--to", "nquads", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(data=result.stdout, format="nt")) > 20


def test_unknown_format_is_usage_error() -> None:
    assert RUNNER.invoke(app, ["normalize", "--to", "xml", str(SEEDS)]).exit_code == 2
