"""One JUnit testcase: its failures' texts (a finding's evidence from that capsule only) and its
XML element (`reporters.junit` orders the testcases and writes the document around them)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from capsule_audit.models.findings import Finding, Severity

# Characters XML 1.0 forbids even when escaped; capsule text is untrusted and may hold them.
_XML_INVALID = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    """`text` with the characters XML 1.0 cannot hold replaced by U+FFFD."""
    return _XML_INVALID.sub("\ufffd", text)


_LISTED_CAPSULES = 10
"""A failure lists the other capsules of a finding up to this many; past it, only their number."""


def failure_body(finding: Finding, capsule: str | None) -> str:
    """The failure text in one testcase: the finding's evidence from `capsule` only.

    A finding naming N capsules fails N testcases; repeating every capsule's evidence in each made
    the document grow with N squared (hundreds of MB for a dump-wide export cut).
    """
    lines = [f"severity: {finding.severity.value}", f"fingerprint: {finding.fingerprint}"]
    if finding.key:
        lines.append(f"key: {finding.key}")
    if len(finding.capsules) <= _LISTED_CAPSULES:
        if finding.capsules:
            lines.append("capsules: " + ", ".join(finding.capsules))
    else:
        lines.append(f"capsules: {len(finding.capsules)} (listed in the JSON and SARIF reports)")
    if finding.location.file:
        where = finding.location.file + (f":{finding.location.line}" if finding.location.line else "")
        lines.append(f"location: {where}")
    for evidence in finding.evidence:
        if capsule is None or evidence.capsule == capsule:
            lines.append(f"evidence ({evidence.capsule}): {evidence.text}")
    return "\n".join(lines)


Failure = tuple[str, str, str, bool]
"""A failure element's type, message and text, and whether it is only a note (info)."""


def document_key(finding: Finding) -> tuple[str, str]:
    """The testcase of a finding on a document that never became a capsule: (file, file#place)."""
    where = finding.location.file or "-"
    inside = finding.location.pointer or (str(finding.location.line) if finding.location.line else "")
    return where, f"{where}#{inside}" if inside else where


def failure_of(finding: Finding, shown: str | None) -> Failure:
    """The finding as a failure of the testcase of capsule `shown` (None: of its document)."""
    kind, body = f"{finding.rule} {finding.name}", clean(failure_body(finding, shown))
    return kind, clean(finding.message), body, finding.severity is Severity.INFO


def case_element(classname: str, name: str, failures: tuple[Failure, ...]) -> str:
    """One `<testcase>` element, indented for its place in the document: its failures, and its
    info findings as notes in `<system-out>` (a testcase with only notes passes)."""
    case = ET.Element("testcase", {"classname": clean(classname), "name": clean(name)})
    notes: list[str] = []
    for kind, message, text, note in failures:
        if note:
            notes.append(f"{kind}: {message}\n{text}")
        else:
            ET.SubElement(case, "failure", {"type": kind, "message": message}).text = text
    if notes:
        ET.SubElement(case, "system-out").text = "\n\n".join(notes)
    ET.indent(case, level=2)
    return "    " + ET.tostring(case, encoding="unicode") + "\n"
