"""The formats written straight from an audit result in its store, never built as one Report.

Text and JSON read the findings, capsules, claims, clusters and records item by item; SARIF and
GitHub annotations read the findings once and keep only the worst up to their caps (25,000
results, 10 annotations per type), and the Markdown summary its 20 top findings; JUnit joins
findings to capsules in the store and writes testcase by testcase. HTML writes capsule texts,
finding details and cluster members in chunks as it reads them, keeping a compact index
(a few small values per capsule and per finding) for the end of the page. So their memory
does not grow with the dump (HTML's index grows by tens of bytes per item).
"""

from __future__ import annotations

from capsule_audit.reporters import open_output
from capsule_audit.reporters.github import render_github
from capsule_audit.reporters.json_report import write_json
from capsule_audit.reporters.junit import write_junit
from capsule_audit.reporters.markdown import render_markdown
from capsule_audit.reporters.sarif import render_sarif
from capsule_audit.reporters.text import write_text
from capsule_audit.store.narrowed import Narrowed
from capsule_audit.store.result import AuditResult

STREAMED_FORMATS = frozenset({"json", "text", "sarif", "github", "junit", "markdown", "html"})
"""Formats written from the audit's store without building the Report in memory."""


def write_streamed(
    result: AuditResult | Narrowed, fmt: str, destination: str, *, width: int = 110, color: bool = False
) -> None:
    """Write `result` as `fmt` (one of STREAMED_FORMATS) to a file ('-': stdout) as it is read."""
    with open_output(destination) as out:
        if fmt == "json":
            write_json(result, out)
        elif fmt == "sarif":
            out.write(render_sarif(result))
        elif fmt == "github":
            out.write(render_github(result))
        elif fmt == "junit":
            write_junit(result, out, store=result.store)
        elif fmt == "html":
            from capsule_audit.reporters.html import write_html  # jinja2: imported only when asked for

            write_html(result, out)
        elif fmt == "markdown":
            out.write(render_markdown(result))
        else:
            write_text(result, out, width=width, color=color)
