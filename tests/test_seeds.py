"""The seeds, audited whole: the findings issue 4 expects, read off the five documents by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from capsule_audit.api import audit
from capsule_audit.config import AuditConfig
from capsule_audit.models.claims import Binding
from capsule_audit.models.findings import Severity
from capsule_audit.models.report import Report
from tests.conftest import FIXTURES, SEEDS

FORGE = "https://forgecascade.org/public/capsules/"
S000 = FORGE + "223f9579-7bd4-418a-bf62-f72791e369f5"
S001 = FORGE + "972170ab-63dc-4762-953a-49e1d1abbe12"
S002 = FORGE + "2ef82ec8-81c8-4f8b-a553-ff8f171dcb69"
S003 = FORGE + "ee0bc979-5cf1-4e22-a800-9cacd1581493"
NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def report() -> Report:
    return audit([str(SEEDS)], AuditConfig(now=NOW))


def _capsules(report: Report, code: str, key: str | None = None) -> set[str]:
    return {
        c for f in report.findings if f.rule == code and (key is None or f.key == key) for c in f.capsules
    }


def test_every_seed_is_accounted_for(report: Report) -> None:
    s = report.summary
    assert (s.documents, s.capsules, s.digests, s.rejected) == (5, 4, 1, 0)


@pytest.mark.parametrize("code", ["CA401", "CA402"])
def test_conflicts_on_2604_01234_name_000_003_explicit_and_001_positional(report: Report, code: str) -> None:
    assert {S000, S001, S003} <= _capsules(report, code, "arxiv:2604.01234")
    (cluster,) = [c for c in report.clusters if c.key == "arxiv:2604.01234"]
    bindings = {m.capsule: m.binding for m in cluster.members if m.claim}
    assert bindings[S000] is bindings[S003] is Binding.EXPLICIT
    assert bindings[S001] is Binding.POSITIONAL
    assert cluster.conflicting


def test_ca401_on_2604_01567(report: Report) -> None:
    assert len(_capsules(report, "CA401", "arxiv:2604.01567")) >= 2


def test_ca204_on_002(report: Report) -> None:
    assert _capsules(report, "CA204") == {S002}


def test_ca501_on_000_to_003(report: Report) -> None:
    assert _capsules(report, "CA501") == {S000, S001, S002, S003}


def test_ca502_and_ca503_on_000(report: Report) -> None:
    assert _capsules(report, "CA502") == {S000}
    assert _capsules(report, "CA503") == {S000}


def test_ca206_on_001(report: Report) -> None:
    assert S001 in _capsules(report, "CA206")


def test_ca601_on_the_digest(report: Report) -> None:
    (digest,) = [c.id for c in report.capsules if c.kind == "digest"]
    assert _capsules(report, "CA601") == {digest}


def test_the_clean_fixture_draws_no_error_or_warning() -> None:
    clean = audit([str(FIXTURES / "clean")], AuditConfig(now=NOW))
    assert clean.summary.capsules == 1
    assert [f.rule for f in clean.findings if f.severity is not Severity.INFO] == []


def test_ca104_on_the_snapshots_000_001_003_that_differ_only_in_their_date(report: Report) -> None:
    (finding,) = [f for f in report.findings if f.rule == "CA104"]
    assert set(finding.capsules) == {S000, S001, S003}  # 002 says "several new …": other words
    assert all(day in finding.message for day in ("April 11, 2026", "April 12, 2026", "April 17, 2026"))
