"""audit(): counts add up, reports are deterministic, records are kept only on request."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from capsule_audit import api, pipeline
from capsule_audit.config import AuditConfig
from capsule_audit.models.claims import ExtractedCapsule
from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.records import CapsuleRecord, SourceRef
from capsule_audit.models.verdicts import Verdict, VerdictKind
from capsule_audit.rules.input import unreadable_input
from capsule_audit.rules.stamp import input_finding
from tests.conftest import SEEDS
from tests.rules.capsules import capsule_id, citation, claim, record

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _fake_stream(items: list[CapsuleRecord | Finding]):  # type: ignore[no-untyped-def]
    def fake(
        paths: Sequence[str], config: AuditConfig, *, stdin: object = None, fetch_url: object = None
    ) -> Iterator[CapsuleRecord | Finding]:
        return iter(items)

    return fake


def _extract(rec: CapsuleRecord) -> ExtractedCapsule:
    # Each fake capsule credits arxiv:2604.01234 to a method named in its title.
    c = claim(rec.id, f"{rec.name} works.", cites=(citation("arxiv:2604.01234"),), method=rec.name)
    return ExtractedCapsule(capsule=rec.id, claims=(c,))


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> list[CapsuleRecord | Finding]:
    rejected = input_finding(unreadable_input, SourceRef(path="bad.json"), "not JSON", identity="bad")
    items: list[CapsuleRecord | Finding] = [
        record(1, name="Alpha"),
        rejected,
        record(2, name="Beta"),
        record(1, name="Alpha"),
    ]
    monkeypatch.setattr(api, "configured_documents", _fake_stream(items))
    monkeypatch.setattr(pipeline, "default_extract", lambda: _extract)
    return items


def test_counts_add_up_and_rejections_are_findings(fakes: list[object]) -> None:
    report = api.audit(["x"], AuditConfig(now=NOW))
    s = report.summary
    assert (s.documents, s.capsules, s.digests, s.rejected, s.claims) == (4, 3, 0, 1, 3)
    assert s.documents == s.capsules + s.digests + s.rejected
    assert "CA001" in {f.rule for f in report.findings}
    assert sum(s.findings.values()) == len(report.findings) == sum(s.by_rule.values())


def test_duplicate_id_and_clusters(fakes: list[object]) -> None:
    report = api.audit(["x"], AuditConfig(now=NOW))
    (dup,) = [f for f in report.findings if f.rule == "CA101"]
    assert dup.capsules == (capsule_id(1),) and dup.severity is Severity.WARNING  # identical copies
    (cluster,) = report.clusters
    assert cluster.key == "arxiv:2604.01234"
    assert {m.capsule for m in cluster.members} == {capsule_id(1), capsule_id(2)}
    assert {m.method for m in cluster.members} == {"Alpha", "Beta"}


def test_capsule_entries_carry_status_claims_and_fingerprints(fakes: list[object]) -> None:
    report = api.audit(["x"], AuditConfig(now=NOW))
    entry = next(e for e in report.capsules if e.id == capsule_id(1))
    own = [f for f in report.findings if capsule_id(1) in f.capsules]
    assert entry.status == max(own, key=lambda f: f.severity.rank).severity.value
    assert set(entry.findings) == {f.fingerprint for f in own}
    assert entry.claims == tuple(c.id for c in report.claims if c.capsule == capsule_id(1))


def test_select_ignore_and_records_on_request(fakes: list[object]) -> None:
    report = api.audit(["x"], AuditConfig(now=NOW, ignore=("CA0", "CA101")))
    assert not {"CA001", "CA101"} & {f.rule for f in report.findings}
    assert report.records == ()
    assert len(api.audit(["x"], AuditConfig(now=NOW), keep_records=True).records) == 3


def test_progress_is_reported(fakes: list[object]) -> None:
    seen: list[int] = []
    api.audit(["x"], AuditConfig(now=NOW), progress=seen.append)
    assert seen[-1] == 4


def test_jobs_do_not_change_the_report(fakes: list[object], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "CHUNK", 1)
    one = api.audit(["x"], AuditConfig(now=NOW, jobs=1))
    monkeypatch.setattr(
        pipeline.process_stream, "__kwdefaults__", {"jobs": 1, "chunk_size": 1, "extract": None}
    )
    two = api.audit(["x"], AuditConfig(now=NOW, jobs=2))
    assert one.model_dump_json() == two.model_dump_json()


def test_input_order_does_not_change_findings(tmp_path: Path) -> None:
    ordered = api.audit([str(SEEDS)], AuditConfig(now=NOW))
    copy = tmp_path / "seeds"
    copy.mkdir()
    for n, path in enumerate(sorted(SEEDS.iterdir(), reverse=True)):
        shutil.copy(path, copy / f"{n}_{path.name}")
    reordered = api.audit([str(copy)], AuditConfig(now=NOW))
    assert [f.fingerprint for f in ordered.findings] == [f.fingerprint for f in reordered.findings]


def test_verify_runs_between_the_passes_and_its_verdicts_reach_the_group_rules(
    fakes: list[object],
) -> None:
    seen: list[ExtractedCapsule] = []

    def verify(extracted: Iterable[ExtractedCapsule]) -> Mapping[str, Verdict]:
        seen.extend(extracted)
        return {
            "arxiv:2604.01234": Verdict(
                key="arxiv:2604.01234", verdict=VerdictKind.FABRICATED, service="arxiv"
            )
        }

    report = api.audit(["x"], AuditConfig(now=NOW), verify=verify)
    # The cited identifiers of every capsule, from the group index: each capsule once, its claims.
    assert sorted(c.capsule for c in seen) == [capsule_id(1), capsule_id(2)]
    assert {cit.key for c in seen for claim in c.claims for cit in claim.citations} == {"arxiv:2604.01234"}
    (fabricated,) = [f for f in report.findings if f.rule == "CA701"]
    assert fabricated.key == "arxiv:2604.01234" and fabricated.capsules == (capsule_id(1), capsule_id(2))
    assert [v.key for v in report.verdicts] == ["arxiv:2604.01234"]
    assert api.audit(["x"], AuditConfig(now=NOW)).verdicts == ()


def test_an_identifier_cited_once_still_gets_its_online_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "configured_documents", _fake_stream([record(1, name="Alpha")]))
    monkeypatch.setattr(pipeline, "default_extract", lambda: _extract)
    verdict = Verdict(key="arxiv:2604.01234", verdict=VerdictKind.UNVERIFIABLE, service="arxiv", detail="503")
    report = api.audit(["x"], AuditConfig(now=NOW), verify=lambda _: {verdict.key: verdict})
    assert [(f.rule, f.capsules) for f in report.findings if f.rule.startswith("CA7")] == [
        ("CA704", (capsule_id(1),))
    ]
    ignored = api.audit(["x"], AuditConfig(now=NOW, ignore=("CA7",)), verify=lambda _: {verdict.key: verdict})
    assert not [f for f in ignored.findings if f.rule.startswith("CA7")]


def test_one_or_two_jobs_give_identical_reports() -> None:
    config = AuditConfig(now=NOW, jobs=1)
    one = api.audit([str(SEEDS)], config, keep_records=True)
    two = api.audit([str(SEEDS)], config.model_copy(update={"jobs": 2}), keep_records=True)
    assert two.model_dump_json() == one.model_dump_json()
    assert one.findings and one.clusters
    assert "jobs" not in one.run.configuration  # how, not what: not in the report


def test_claims_are_kept_on_request_and_counted_always(fakes: list[object]) -> None:
    kept = api.audit(["x"], AuditConfig(now=NOW))
    lean = api.audit(["x"], AuditConfig(now=NOW), keep_claims=False)
    assert lean.claims == () and all(e.claims == () for e in lean.capsules)
    assert lean.summary == kept.summary and lean.summary.claims == len(kept.claims) == 3
    assert lean.findings == kept.findings and lean.clusters == kept.clusters


def test_online_finding_on_a_single_citation_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    items: list[CapsuleRecord | Finding] = [record(1, name="Alpha")]
    monkeypatch.setattr(api, "configured_documents", _fake_stream(items))
    monkeypatch.setattr(pipeline, "default_extract", lambda: _extract)
    verdict = Verdict(key="arxiv:2604.01234", verdict=VerdictKind.FABRICATED, service="arxiv")
    report = api.audit(["x"], AuditConfig(now=NOW), verify=lambda _: {verdict.key: verdict})
    assert [(f.rule, f.capsules) for f in report.findings if f.rule.startswith("CA7")] == [
        ("CA701", (capsule_id(1),))
    ]


def test_audit_stream_reads_again_and_deletes_its_files(tmp_path: Path) -> None:
    config = AuditConfig(now=NOW, jobs=1)
    report = api.audit([str(SEEDS)], config)
    with api.audit_stream([str(SEEDS)], config, directory=str(tmp_path)) as result:
        assert tuple(result.findings) == tuple(result.findings) == report.findings
        assert tuple(result.capsules) == report.capsules and tuple(result.clusters) == report.clusters
        assert result.to_report() == report
    assert list(tmp_path.iterdir()) == []
