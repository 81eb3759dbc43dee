"""Finding identities survive what CI does to a dump: reordering, re-serializing, re-encoding.

A baseline or a SARIF alert follows a finding by its fingerprint, so the same capsules written
as one NDJSON file, as a JSON array in reverse order, or in any equivalent JSON-LD form (expanded,
flattened, prefixed, arrays, @graph wrapper) must give exactly the same set of fingerprints.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from capsule_audit.api import audit
from capsule_audit.config import AuditConfig
from tests.conftest import SEEDS
from tests.normalize.forms import equivalent_forms

NOW = AuditConfig(now="2026-11-23T00:00:00Z")  # type: ignore[arg-type]
CAPSULE_SEEDS = sorted(p for p in SEEDS.iterdir() if p.read_bytes().lstrip().startswith(b"{"))
DIGEST_SEEDS = sorted(p for p in SEEDS.iterdir() if p not in CAPSULE_SEEDS)
FORMS = [name for name, _ in equivalent_forms(json.loads(CAPSULE_SEEDS[0].read_bytes()))]


def _fingerprints(folder: Path) -> dict[str, tuple[str, str | None, tuple[str, ...]]]:
    report = audit([str(folder)], NOW)
    return {f.fingerprint: (f.rule, f.key, f.capsules) for f in report.findings}


def _with_digest(folder: Path) -> Path:
    for digest in DIGEST_SEEDS:
        (folder / digest.name).write_bytes(digest.read_bytes())
    return folder


@pytest.fixture(scope="module")
def original() -> dict[str, tuple[str, str | None, tuple[str, ...]]]:
    found = _fingerprints(SEEDS)
    assert {rule for rule, _, _ in found.values()} >= {"CA401", "CA204", "CA501"}, "seeds have findings"
    return found


def test_one_ndjson_file_in_reverse_order(tmp_path: Path, original: dict[str, object]) -> None:
    lines = [json.dumps(json.loads(p.read_bytes())) for p in reversed(CAPSULE_SEEDS)]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _fingerprints(_with_digest(tmp_path)) == original


def test_pretty_printed_array(tmp_path: Path, original: dict[str, object]) -> None:
    docs = [json.loads(p.read_bytes()) for p in CAPSULE_SEEDS[::-1]]
    (tmp_path / "dump.json").write_text(json.dumps(docs, indent=4, sort_keys=True), encoding="utf-8")
    assert _fingerprints(_with_digest(tmp_path)) == original


@pytest.mark.parametrize("form", FORMS)
def test_equivalent_jsonld_form(form: str, tmp_path: Path, original: dict[str, object]) -> None:
    for n, path in enumerate(CAPSULE_SEEDS):
        rewritten = dict(equivalent_forms(json.loads(path.read_bytes()), seed=n))[form]
        (tmp_path / f"{form}-{n}.jsonld").write_text(json.dumps(rewritten), encoding="utf-8")
    assert _fingerprints(_with_digest(tmp_path)) == original
