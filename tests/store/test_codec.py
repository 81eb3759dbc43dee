"""The codec that carries chunks and results between worker processes (`pipeline`, --jobs)."""

from __future__ import annotations

from capsule_audit.models.claims import Span
from capsule_audit.models.findings import Evidence, Finding, Location, Severity
from capsule_audit.store import codec


def test_models_round_trip_through_the_codec_unchanged() -> None:
    finding = Finding(
        rule="CA401",
        name="conflicting-attribution",
        severity=Severity.ERROR,
        message="conflict 7",
        capsules=("urn:c:7",),
        location=Location(file="f.json", span=Span(start=7, end=10)),
        evidence=(Evidence(capsule="urn:c:7", text="quoted"),),
        fingerprint=f"{7:032x}",
    )
    back = codec.loads(codec.dumps(finding))
    assert back == finding and back.model_dump() == finding.model_dump()
    assert back.model_fields_set == finding.model_fields_set
