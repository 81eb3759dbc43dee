"""The W3C JSON-LD test suite's 1,169 input documents through the whole audit: a robustness corpus.

Arbitrary, often strange, valid and invalid JSON-LD. Nothing may raise; every file must end as
records or findings; the report's counts must add up; and no socket may open (the conftest guard
fails the test on any), although many of these documents name remote contexts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from capsule_audit.api import audit
from capsule_audit.config import AuditConfig
from tests.conftest import require_reference

pytestmark = pytest.mark.slow


def test_every_w3c_input_is_accounted_for_by_audit() -> None:
    corpus = require_reference("jsonld-w3c-tests")
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".jsonld", ".json"))
    assert len(files) >= 1000, "the corpus should hold the W3C test inputs"

    report = audit([str(corpus)], AuditConfig(jobs=1), keep_records=True)

    summary = report.summary
    assert summary.documents == summary.capsules + summary.digests + summary.rejected
    seen = {Path(r.source.path).resolve() for r in report.records}
    seen |= {Path(f.location.file).resolve() for f in report.findings if f.location.file}
    missing = [str(p) for p in files if p.resolve() not in seen]
    assert not missing, f"{len(missing)} corpus files ended as neither record nor finding: {missing[:5]}"
    # Only input rules can reject a document; every rejection names its file.
    rejected = [f for f in report.findings if f.rule.startswith("CA00")]
    assert len(rejected) >= summary.rejected
    assert all(f.location.file for f in rejected)
