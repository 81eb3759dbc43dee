"""The HTML report for editors: one self-contained file, no network, usable at 100,000 capsules.

The page is a static shell (summary, filters, rule explanations, online verdicts) plus the
report's data as JSON blocks (`html_data`), which the page's one script pages through: findings
50 at a time with the offending words highlighted in their sentence, clusters side by side,
capsules with their full text on demand. So the file is written as the report is read, and the
browser builds only the elements on screen.

Capsule text is untrusted. The shell goes through jinja2's autoescaping; the data is JSON in
blocks browsers never execute (`html_data.embed`); the script builds every element with
`createElement` and `textContent`, never `innerHTML`. A Content-Security-Policy meta tag allows
exactly the page's own inline style and script (by hash) and nothing else: no remote loads, no
inline event handlers, no forms.
"""

from __future__ import annotations

import base64
import hashlib
import io
from functools import cache
from importlib.resources import files
from typing import TextIO

import jinja2
from markupsafe import Markup

from capsule_audit.models.report import Report
from capsule_audit.models.verdicts import verdict_line
from capsule_audit.reporters.common import SEVERITIES
from capsule_audit.reporters.html_data import PageData, data_block
from capsule_audit.reporters.json_report import JsonSource
from capsule_audit.rules.registry import rules_by_code

DATA_MARK = "<!--capsule-audit:data-->"  # where the data blocks go; autoescaping keeps data from forging it


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


def explanation(doc: str) -> list[tuple[str, str]]:
    """A rule docstring as ('h', heading) and ('p', paragraph) blocks, for the page."""
    blocks: list[tuple[str, str]] = []
    for part in doc.strip().split("\n\n"):
        lines = part.strip().splitlines()
        while lines and lines[0].startswith("## "):
            blocks.append(("h", lines.pop(0)[3:].strip()))
        if lines:
            blocks.append(("p", " ".join(line.strip() for line in lines)))
    return blocks


def _rule_docs(codes: list[str]) -> list[dict[str, object]]:
    known = rules_by_code()
    docs: list[dict[str, object]] = []
    for code in codes:
        rule = known.get(code)
        if rule is not None:
            docs.append(
                {
                    "code": code,
                    "name": rule.name,
                    "severity": rule.severity.value,
                    "blocks": explanation(rule.doc),
                }
            )
    return docs


def write_html(source: JsonSource, out: TextIO) -> None:
    """Write the page for `source` (a Report, or an audit result streaming from disk) to `out`,
    reading each of its lists once."""
    css, script = _assets()
    shell = (
        _environment()
        .get_template("report.html.j2")
        .render(
            report=source,
            csp=content_security_policy(css, script),
            # Our own assets, inserted verbatim: the CSP hashes are of these exact strings.
            css=Markup(css),
            script=Markup(script),
            severities=[s.value for s in SEVERITIES],
            severity_counts={s.value: source.summary.findings.get(s.value, 0) for s in SEVERITIES},
            rules=_rule_docs(sorted(source.summary.by_rule)),
            verdict_line=verdict_line(source.verdicts),
            data_mark=Markup(DATA_MARK),
        )
    )
    head, tail = shell.split(DATA_MARK)
    out.write(head)
    data = PageData(out)
    data.read_capsules(source.capsules)
    data.read_records(source.records)
    data.read_findings(source.findings)
    data.read_clusters(source.clusters)
    out.write(data_block("index", data.index()))
    out.write(tail)


def render_html(report: Report) -> str:
    """The HTML page."""
    out = io.StringIO()
    write_html(report, out)
    return out.getvalue()
