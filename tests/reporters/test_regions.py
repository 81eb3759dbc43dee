"""SARIF regions read back from the input file give the finding's text, in every input form."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capsule_audit.api import audit
from capsule_audit.config import AuditConfig
from capsule_audit.models.claims import Span
from capsule_audit.models.report import Report
from capsule_audit.reporters import regions
from capsule_audit.reporters.jsonpos import through_escapes
from capsule_audit.reporters.sarif import FINGERPRINT_KEY, build_sarif
from tests.conftest import SEEDS

NOW = datetime(2026, 6, 1, tzinfo=UTC)
FORGE = "https://forgecascade.org/public/capsules/"
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")

# Escapes and non-ASCII before the span shift its offsets in the file: a quote, newlines, 'é',
# an astral '😀' and '𝑥' (two UTF-16 units each, a surrogate-pair escape with ensure_ascii).
TEXT = (
    '## Key Findings\n- As of April 12, 2026, the "𝑥-scaling" results 😀 of café teams were published.\n'
    "- 1. **Recursive Gradient Optimization (RGO)**\n"
    "- Researchers at DeepMind introduced Recursive Gradient Optimization, a method that reuses gradient "
    "computations across micro-batches. RGO reduces memory usage by up to 40% while keeping quality.\n"
    "- Source: [Nature Machine Intelligence – doi:10.1038/s42256-26-0412](https://doi.org/10.1038/s42256-26-0412)\n"
    "\n## Sources\n- https://doi.org/10.1038/s42256-26-0412\n"
)


def _capsule(n: int) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": f"{FORGE}203f000{n}-0000-4000-8000-000000000000",
        "name": f"As of April 12, 2026, advances {n}",
        "text": TEXT,
        "dateCreated": "2026-04-12T07:11:18Z",
    }


def _graph() -> dict[str, Any]:
    nodes = [_capsule(1), _capsule(2)]
    for node in nodes:
        del node["@context"]
    return {"@context": "https://schema.org", "@graph": nodes}


def _expanded() -> dict[str, Any]:
    """Prefixed terms and `@value` objects in lists: the text is not under "text"."""
    body = {k: v for k, v in _capsule(1).items() if k != "@context"}
    out: dict[str, Any] = {"@context": ["https://schema.org", {"sdo": "http://schema.org/"}]}
    out.update({(k if k.startswith("@") else f"sdo:{k}"): v for k, v in body.items()})
    out["sdo:text"] = [{"@value": TEXT}]
    return out


FORMS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "prefixed-values": ("a.jsonld", lambda: json.dumps(_expanded(), indent=2).encode()),
    "pretty": ("a.json", lambda: json.dumps(_capsule(1), indent=2, ensure_ascii=False).encode()),
    "escaped": ("a.json", lambda: json.dumps(_capsule(1), indent=2).encode()),
    "ndjson": (
        "a.jsonl",
        lambda: b"\n".join(json.dumps(_capsule(n), ensure_ascii=False).encode() for n in (1, 2)) + b"\n",
    ),
    "compact-array": ("a.json", lambda: json.dumps([_capsule(1), _capsule(2)], ensure_ascii=False).encode()),
    "pretty-array": ("a.json", lambda: json.dumps([_capsule(1), _capsule(2)], indent=1).encode()),
    "graph": ("a.jsonld", lambda: json.dumps(_graph(), indent=2, ensure_ascii=False).encode()),
    "bom-crlf": (
        "a.json",
        lambda: (
            b"\xef\xbb\xbf"
            + json.dumps(_capsule(1), indent=2, ensure_ascii=False).replace("\n", "\r\n").encode()
        ),
    ),
    "gzip": (
        "a.jsonl.gz",
        lambda: gzip.compress(b"\n".join(json.dumps(_capsule(n)).encode() for n in (1, 2)), mtime=0),
    ),
}


def _by_lines(text: str, region: dict[str, Any]) -> str:
    """The region cut by lines and UTF-16 columns, as an editor would."""
    lines = _LINES.findall(text)
    first, last = region["startLine"] - 1, region["endLine"] - 1
    units = [line.encode("utf-16-le") for line in lines[first : last + 1]]
    if first == last:
        return str(
            units[0][2 * (region["startColumn"] - 1) : 2 * (region["endColumn"] - 1)].decode("utf-16-le")
        )
    middle = b"".join(units[1:-1])
    head = units[0][2 * (region["startColumn"] - 1) :]
    tail = units[-1][: 2 * (region["endColumn"] - 1)]
    return str((head + middle + tail).decode("utf-16-le"))


def _read_regions(report: Report, *, json_strings: bool) -> int:
    """Check every located result against the record text; return how many were checked."""
    texts = {r.id: r for r in report.records}
    by_fingerprint = {f.fingerprint: f for f in report.findings}
    checked = 0
    for result in build_sarif(report)["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        if "charOffset" not in region:
            continue
        finding = by_fingerprint[result["partialFingerprints"][FINGERPRINT_KEY]]
        span = finding.location.span
        assert span is not None and finding.location.capsule is not None
        record = texts[finding.location.capsule]
        field = record.name if finding.location.field == "name" else record.text
        assert field is not None
        expected = field[span.start : span.end]
        assert location["artifactLocation"]["uri"].endswith(Path(str(finding.location.file)).name)
        raw = Path(str(finding.location.file)).read_bytes()
        decompressed = raw[:2] == b"\x1f\x8b"
        if decompressed:
            raw = gzip.decompress(raw)
            assert result["properties"]["regionOf"] == "decompressed"
            assert "byteOffset" not in region
        else:
            bytes_read = raw[region["byteOffset"] : region["byteOffset"] + region["byteLength"]].decode()
        text = raw.decode("utf-8").removeprefix("\ufeff")
        units = text.encode("utf-16-le")
        start, length = region["charOffset"], region["charLength"]
        by_offset = units[2 * start : 2 * (start + length)].decode("utf-16-le")
        assert _by_lines(text, region) == by_offset
        if not decompressed:
            assert bytes_read == by_offset
        assert (json.loads(f'"{by_offset}"') if json_strings else by_offset) == expected
        checked += 1
    return checked


@pytest.mark.parametrize("form", sorted(FORMS))
def test_regions_read_back_as_the_span_text(
    tmp_path: Path, form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, content = FORMS[form]
    path = tmp_path / name
    path.write_bytes(content())
    report = audit([str(path)], AuditConfig(now=NOW), keep_records=True)
    assert any(f.rule == "CA203" for f in report.findings)
    whole = _read_regions(report, json_strings=True)
    assert whole >= 1
    monkeypatch.setattr(regions, "WHOLE_FILE_MAX", 64)  # every file "too large": read line by line
    streamed = _read_regions(report, json_strings=True)
    # A compact array's elements do not start lines: none located then, and none wrong.
    assert streamed == (0 if form == "compact-array" else whole)


def test_escaped_form_has_offsets_that_differ_from_the_span(tmp_path: Path) -> None:
    # The old SARIF wrote the span's offset into the text as the file offset.
    path = tmp_path / "a.json"
    path.write_bytes(FORMS["escaped"][1]())
    report = audit([str(path)], AuditConfig(now=NOW), keep_records=True)
    ca203 = next(f for f in report.findings if f.rule == "CA203")
    result = next(
        r
        for r in build_sarif(report)["runs"][0]["results"]
        if r["partialFingerprints"][FINGERPRINT_KEY] == ca203.fingerprint
    )
    region = result["locations"][0]["physicalLocation"]["region"]
    assert ca203.location.span is not None
    assert region["charOffset"] != ca203.location.span.start
    assert build_sarif(report)["runs"][0]["columnKind"] == "utf16CodeUnits"


def test_seed_regions_including_the_digest_read_back(tmp_path: Path) -> None:
    for seed in SEEDS.iterdir():
        shutil.copy(seed, tmp_path / seed.name)
    report = audit([str(tmp_path)], AuditConfig(now=NOW), keep_records=True)
    digests = {r.id for r in report.records if r.kind.value == "digest"}
    json_findings = [f for f in report.findings if f.location.capsule not in digests]
    digest_findings = [f for f in report.findings if f.location.capsule in digests]
    assert digest_findings, "the seeds hold a digest with a span finding"
    both = _read_regions(report.model_copy(update={"findings": tuple(json_findings)}), json_strings=True)
    plain = _read_regions(report.model_copy(update={"findings": tuple(digest_findings)}), json_strings=False)
    assert both >= 25 and plain >= 1
    # CA204's DOI: the issue found charOffset 772 reading "such as mathematical proof ge".
    ca204 = next(f for f in report.findings if f.rule == "CA204")
    assert ca204.location.span is not None
    assert ca204.location.span.start == 772


def test_a_changed_file_gives_no_region_rather_than_a_wrong_one(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(FORMS["pretty"][1]())
    report = audit([str(path)], AuditConfig(now=NOW), keep_records=True)
    path.write_text(path.read_text(encoding="utf-8").replace("café", "coffee shop"), encoding="utf-8")
    regions = [
        r["locations"][0]["physicalLocation"]["region"] for r in build_sarif(report)["runs"][0]["results"]
    ]
    assert all("charOffset" not in region for region in regions)
    assert all(region["startLine"] >= 1 for region in regions)


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_a_title_character_is_located_in_the_name_string(tmp_path: Path, ensure_ascii: bool) -> None:
    capsule = _capsule(1)
    capsule["name"] = "Advances 😀 in \u202egpj.exe training"
    path = tmp_path / "a.json"
    path.write_text(json.dumps(capsule, indent=2, ensure_ascii=ensure_ascii), encoding="utf-8")
    report = audit([str(path)], AuditConfig(now=NOW), keep_records=True)
    title = next(f for f in report.findings if f.key == "U+202E@name")
    only = report.model_copy(update={"findings": (title,)})
    assert _read_regions(only, json_strings=True) == 1


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    ensure_ascii=st.booleans(),
    data=st.data(),
)
def test_any_span_maps_through_any_escapes(text: str, ensure_ascii: bool, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    written = 'x = {"text": ' + json.dumps(text, ensure_ascii=ensure_ascii) + "}"
    quote = written.index('"', written.index(":"))
    first, last = through_escapes(written, quote, Span(start=start, end=end))
    assert json.loads(f'"{written[first:last]}"') == text[start:end]
