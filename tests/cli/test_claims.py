"""`capsule-audit claims`: claims as NDJSON on stdout, rejected documents on stderr."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from capsule_audit.cli import app
from capsule_audit.models.claims import Claim
from capsule_audit.models.report import ClaimEntry
from capsule_audit.reporters.claim_entries import resolved_claims

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
runner = CliRunner()


def _claims(output: str) -> list[Claim]:
    entries = [ClaimEntry.model_validate(json.loads(line)) for line in output.splitlines() if line.strip()]
    return list(resolved_claims(entries))


def test_seeds_give_bound_claims() -> None:
    result = runner.invoke(app, ["claims", str(SEEDS)])
    assert result.exit_code == 0, result.output
    claims = _claims(result.stdout)
    bound = {
        (claim.method.acronym, citation.key, citation.binding.value)
        for claim in claims
        if claim.method is not None
        for citation in claim.all_citations
    }
    assert ("SARIR", "arxiv:2604.01234", "explicit") in bound
    assert ("DCP", "arxiv:2604.01567", "explicit") in bound
    assert ("RGO", "arxiv:2604.01234", "explicit") in bound
    assert ("RRTC", "doi:10.1038/s41563-026-01234-3", "explicit") in bound
    assert ("ACLSG", "arxiv:2604.01234", "positional") in bound
    assert len({claim.capsule for claim in claims}) == 5


def test_rejected_document_goes_to_stderr_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["claims", str(bad), str(SEEDS / "000_ea5c0029181cb232.txt")])
    assert result.exit_code == 1
    assert "bad.json" in result.stderr
    assert _claims(result.stdout), "the good document still gives claims"
