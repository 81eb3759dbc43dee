"""The HTML report for editors: one self-contained file, no network, filters, clusters, evidence.

Capsule text is untrusted. Everything from the report goes through jinja2's autoescaping; the
page's script only toggles `hidden` and sets `textContent`, never `innerHTML`. A
Content-Security-Policy meta tag allows exactly the page's own inline style and script (by hash)
and nothing else: no remote loads, no inline event handlers, no forms.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import jinja2
from markupsafe import Markup

from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord
from capsule_audit.models.report import CapsuleEntry, Report
from capsule_audit.models.verdicts import verdict_line
from capsule_audit.reporters.common import (
    SEVERITIES,
    by_importance,
    rule_counts,
    severity_counts,
)

NO_CAPSULE = "none"  # filter value for findings about rejected documents


@dataclass(frozen=True, slots=True)
class CapsuleView:
    """A capsule as the page shows it; `ref` is a page-local id, so no capsule data reaches the DOM ids."""

    ref: str
    entry: CapsuleEntry
    label: str
    record: CapsuleRecord | None
    finding_count: int


@dataclass(frozen=True, slots=True)
class FindingView:
    finding: Finding
    refs: str  # space-separated capsule refs, for the capsule filter
    labels: tuple[tuple[str, str], ...]  # (ref, label) per capsule


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@cache
def _assets() -> tuple[str, str]:
    folder = files("capsule_audit.reporters") / "templates"
    return (folder / "report.css").read_text(encoding="utf-8"), (folder / "report.js").read_text(
        encoding="utf-8"
    )


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("capsule_audit.reporters", "templates"),
        autoescape=True,  # every template, whatever its name: the data is untrusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def content_security_policy(css: str, script: str) -> str:
    """The policy the page sends: only its own inline style and script, no network at all."""
    return (
        f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(script)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )


def _views(report: Report) -> tuple[list[CapsuleView], list[FindingView]]:
    records = {record.id: record for record in report.records}
    counts: dict[str, int] = {}
    for finding in report.findings:
        for capsule in finding.capsules:
            counts[capsule] = counts.get(capsule, 0) + 1
    capsules = [
        CapsuleView(f"c{i}", entry, entry.name or entry.id, records.get(entry.id), counts.get(entry.id, 0))
        for i, entry in enumerate(report.capsules)
    ]
    refs = {view.entry.id: (view.ref, view.label) for view in capsules}
    views = []
    for finding in by_importance(report.findings):
        labels = tuple(refs.get(c, ("", c)) for c in finding.capsules)
        ref_list = " ".join(ref for ref, _ in labels if ref) or NO_CAPSULE
        views.append(FindingView(finding, ref_list, labels))
    return capsules, views


def render_html(report: Report) -> str:
    """The HTML page."""
    css, script = _assets()
    capsules, findings = _views(report)
    names = {f.rule: f.name for f in report.findings}
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            report=report,
            csp=content_security_policy(css, script),
            # Our own assets, inserted verbatim: the CSP hashes are of these exact strings.
            css=Markup(css),
            script=Markup(script),
            capsules=capsules,
            findings=findings,
            severities=[s.value for s in SEVERITIES],
            severity_counts=severity_counts(report.findings),
            rules=[(code, names[code], n) for code, n in rule_counts(report.findings).items()],
            has_rejected=any(view.refs == NO_CAPSULE for view in findings),
            no_capsule=NO_CAPSULE,
            verdict_line=verdict_line(report.verdicts),
        )
    )
