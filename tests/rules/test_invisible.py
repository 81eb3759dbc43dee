"""CA506: invisible and bidi control characters in titles and text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from capsule_audit.api import audit
from capsule_audit.config import AuditConfig
from capsule_audit.models.findings import Severity
from capsule_audit.rules.base import Violation
from capsule_audit.rules.invisible import _INVISIBLE, invisible_control_character, occurrences, shown
from capsule_audit.rules.registry import rules_by_code
from tests.rules.capsules import ctx, record, subject

RLO, ZWSP, ZWJ, ZWNJ, BOM = "\u202e", "\u200b", "\u200d", "\u200c", "\ufeff"


def _check(name: str | None, text: str) -> list[Violation]:
    assert invisible_control_character.check is not None
    return list(invisible_control_character.check(subject(record(name=name, text=text)), ctx()))


def test_override_in_a_title_is_an_error_and_keyed_by_code_point_and_field() -> None:
    (found,) = _check(f"Advances in {RLO}gpj.exe training", "## Key Findings\n- Fine.\n")
    assert found.key == "U+202E@name"
    assert found.severity is Severity.ERROR
    assert found.location is not None and found.location.field == "name"
    assert found.location.span is not None and found.location.span.start == len("Advances in ")
    assert RLO not in found.message and "⟨U+202E⟩" in found.message
    assert all(RLO not in e.text for e in found.evidence)


def test_zero_width_space_in_text_is_a_warning_at_its_first_offset() -> None:
    text = f"## Key Findings\n- See arXiv:2604.0{ZWSP}1234 and{ZWSP} more.\n"
    (found,) = _check("A title", text)
    assert found.key == "U+200B@text"
    assert found.severity is None  # the rule's default: warning
    assert rules_by_code()["CA506"].severity is Severity.WARNING
    assert found.location is not None and found.location.span is not None
    assert text[found.location.span.start] == ZWSP
    assert "2 times" in found.message


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202d", "\u2066", "\u2067", "\u2068"])
def test_every_reordering_control_in_a_title_is_an_error(char: str) -> None:
    (found,) = _check(f"Title {char}x", "")
    assert found.severity is Severity.ERROR


@pytest.mark.parametrize("char", ["\u200e", "\u200f", "\u202c", ZWSP, BOM, "\u0007", "\U000e0041"])
def test_marks_and_invisibles_in_a_title_are_warnings(char: str) -> None:
    (found,) = _check(f"Title {char}x", "")
    assert found.severity is None


def test_one_finding_per_character_and_field() -> None:
    found = _check(f"T{BOM}itle", f"Text{BOM} with{RLO} two{BOM}")
    assert sorted(v.key or "" for v in found) == ["U+202E@text", "U+FEFF@name", "U+FEFF@text"]
    assert all(v.severity is None for v in found)  # an override in the text is a warning


def test_joiners_in_emoji_and_persian_words_tabs_and_line_breaks_pass() -> None:
    text = "Team 👩\u200d🔬 wrote \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645.\tTabbed\r\nline.\n"
    assert _check("Scientists 👩\u200d🔬", text) == []
    assert occurrences(f"ab{ZWJ}cd") == {ZWJ: [2]}  # between ASCII letters: nothing needs it
    assert occurrences(f"ab{ZWNJ}") == {ZWNJ: [2]}


def test_shown_makes_every_matched_character_visible() -> None:
    text = f"a{RLO}b{ZWSP}c\u0007d\U000e0041"
    assert not _INVISIBLE.search(shown(text))
    assert shown(text) == "a⟨U+202E⟩b⟨U+200B⟩c⟨U+0007⟩d⟨U+E0041⟩"


def test_audit_locates_the_title_character_for_sarif_and_json(tmp_path: Path) -> None:
    fixture = Path(__file__).parents[2] / "fixtures/rules/CA506-invisible-control-character/fail"
    report = audit([str(fixture)], AuditConfig(now=datetime(2026, 6, 1, tzinfo=UTC)), keep_records=True)
    title = next(f for f in report.findings if f.key == "U+202E@name")
    assert title.severity is Severity.ERROR
    assert title.location.text == RLO and title.location.span_utf16 == title.location.span
    record_ = next(r for r in report.records if r.id == title.location.capsule)
    assert record_.name is not None and title.location.span is not None
    assert record_.name[title.location.span.start] == RLO
