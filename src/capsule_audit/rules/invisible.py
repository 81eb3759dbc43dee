"""CA506: invisible and bidirectional control characters in a capsule's title or text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from capsule_audit.models.claims import Span
from capsule_audit.models.findings import Severity
from capsule_audit.models.records import CapsuleRecord
from capsule_audit.rules import construct
from capsule_audit.rules.base import RuleContext, Scope, Subject, Violation, rule

BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Marks, embeddings, overrides and isolates: they reorder the text displayed around them."""
REORDERING = frozenset("\u202a\u202b\u202d\u202e\u2066\u2067\u2068")
"""The bidi controls that open a run displayed in another order (embeddings, overrides, isolates)."""
JOINERS = frozenset("\u200c\u200d")
"""Zero-width (non-)joiners: needed in emoji sequences and in Arabic, Persian and Indic words."""

_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\ufff9-\ufffb"
    "\U000e0000-\U000e007f]"
)
_CONTEXT = 24
"""Characters shown on each side of the first occurrence in the message."""


def code_point(char: str) -> str:
    """'U+202E'."""
    return f"U+{ord(char):04X}"


def describe(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE' (controls without a name: 'U+0007 control')."""
    return f"{code_point(char)} {unicodedata.name(char, 'control')}"


def shown(text: str) -> str:
    """`text` with every invisible character written as ⟨U+XXXX⟩: safe to print, nothing hidden."""
    return _INVISIBLE.sub(lambda m: f"⟨{code_point(m.group())}⟩", text)


def _kept(text: str, at: int) -> bool:
    """A joiner between two non-ASCII characters (an emoji sequence, a Persian word) is wanted."""
    if text[at] not in JOINERS:
        return False
    before = text[at - 1] if at else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    return not (before.isascii() and after.isascii())


def occurrences(text: str) -> dict[str, list[int]]:
    """Each invisible character of `text` (joiners in words or emoji left out) to its offsets."""
    found: dict[str, list[int]] = {}
    for match in _INVISIBLE.finditer(text):
        if not _kept(text, match.start()):
            found.setdefault(match.group(), []).append(match.start())
    return found


def _violations(record: CapsuleRecord, field: str, text: str) -> Iterator[Violation]:
    label = "title" if field == "name" else "text"
    for char, offsets in sorted(occurrences(text).items()):
        at = offsets[0]
        span = Span(start=at, end=at + 1)
        around = shown(text[max(0, at - _CONTEXT) : at + 1 + _CONTEXT])
        times = f"{len(offsets)} times, first" if len(offsets) > 1 else "once,"
        severity = Severity.ERROR if field == "name" and char in REORDERING else None
        yield Violation(
            message=f"{describe(char)} in the {label} ({times} at character {at}): {around!r}",
            key=f"{code_point(char)}@{field}",
            location=construct.location(
                file=record.source.path,
                line=record.source.line,
                pointer=record.source.pointer or None,
                field=field,
                span=span,
            ),
            # The title has no sentence to quote: it is shown whole, its controls made visible.
            evidence=(
                construct.evidence(capsule=record.id, text=shown(text))
                if field == "name"
                else construct.evidence(capsule=record.id, text=char, span=span),
            ),
            severity=severity,
            identity=f"{field}:{code_point(char)}",
        )


@rule(code="CA506", name="invisible-control-character", severity=Severity.WARNING, scope=Scope.CAPSULE)
def invisible_control_character(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """The title or text holds invisible or bidirectional control characters.

    Looked for: bidi marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
    U+202A-U+202E, U+2066-U+2069); zero-width spaces and joiners, word joiner and invisible
    operators (U+200B-U+200D, U+2060-U+2064); a byte order mark inside the text (U+FEFF); C0
    and C1 control characters other than tab, line feed and carriage return; Hangul fillers,
    Khmer inherent vowels, the Mongolian vowel separator, deprecated format characters
    (U+206A-U+206F), interlinear annotation marks and tag characters (U+E0000-U+E007F). A
    zero-width joiner or non-joiner next to a non-ASCII character is left alone: emoji
    sequences and Arabic, Persian and Indic words need them. One finding per character and
    field, keyed 'U+202E@name', pointing at the first occurrence.

    Severity: a warning; an embedding, override or isolate in the title (U+202A, U+202B,
    U+202D, U+202E, U+2066-U+2068) is an error. A title is shown where editors pick and compare
    capsules (lists, chips, menus, other tools' indexes), and such a control reorders what is
    displayed after it, so a capsule can be made to look like another one ("Trojan Source",
    CVE-2021-42574); inside the text the same character usually comes from a careless copy.

    ## Why this matters
    What an editor reads is not what the record holds: "arXiv:2604.01234" with a zero-width
    space after "0" looks valid yet matches nothing, a right-to-left override shows "exe.gpj"
    as "jpg.exe", and tag characters carry text no one sees (hidden instructions to a language
    model).

    ## Fails
    A title with U+202E RIGHT-TO-LEFT OVERRIDE (error); a text citing arXiv:2604.01234 with
    U+200B ZERO WIDTH SPACE after "0" (warning).

    ## Passes
    Titles and texts with tabs and line breaks only; an emoji sequence joined by U+200D; a
    Persian word with U+200C.
    """
    record = subject.record
    if record.name:
        yield from _violations(record, "name", record.name)
    if record.text:
        yield from _violations(record, "text", record.text)
