"""Precision and recall of the audit, per rule, on the labelled accuracy set (issue 13, item 5).

Run: `.venv/bin/python -m benchmarks.accuracy [--tables-only] [--exclude-pending]`. Audits
`fixtures/accuracy/capsules` with the clock of `fixtures/accuracy/labels.yaml` and scores the error
and warning findings against that file's labels (tests/test_accuracy.py holds the thresholds).

A finding is scored as units: one (rule, capsule, key) per capsule it names. A unit is a true
positive when an `expected` label has that rule, capsule and key (a label without a key takes any
key); otherwise it is a false alarm. An expected (rule, capsule, key) that no unit matches is a
miss. Precision = true units / all units; recall = expected units found / expected units. Labels
marked `pending` (known gaps: see labels.yaml) can be left out of both with `exclude_pending`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from capsule_audit.api import audit
from capsule_audit.config import AuditConfig
from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.report import Report

ACCURACY = Path(__file__).resolve().parent.parent / "fixtures" / "accuracy"
CAPSULES = ACCURACY / "capsules"
LABELS = ACCURACY / "labels.yaml"
SCORED = (Severity.ERROR, Severity.WARNING)

Unit = tuple[str, str, str | None]
"""(rule, capsule @id, key): one capsule named by one finding, or by one label."""


@dataclass(frozen=True)
class Label:
    """One entry of labels.yaml: a finding that must (or must not) name these capsules."""

    kind: str  # "expected" or "must_not_fire"
    rule: str
    stems: tuple[str, ...]
    capsules: tuple[str, ...]  # @id of each stem, in the same order
    key: str | None
    note: str
    pending: str | None

    @property
    def name(self) -> str:
        """A readable id for test names: 'CA401:arxiv:2106.09685:01,02'."""
        stems = ",".join(s.split("-", 1)[0] for s in self.stems)
        return f"{self.rule}:{self.key or '*'}:{stems}"

    def units(self) -> list[Unit]:
        return [(self.rule, capsule, self.key) for capsule in self.capsules]


@dataclass(frozen=True)
class Labels:
    now: datetime
    expected: tuple[Label, ...]
    must_not_fire: tuple[Label, ...]

    @property
    def all(self) -> tuple[Label, ...]:
        return self.expected + self.must_not_fire


def capsule_ids(folder: Path = CAPSULES) -> dict[str, str]:
    """File stem to capsule @id, for every capsule file of the set."""
    return {path.stem: json.loads(path.read_text("utf-8"))["@id"] for path in sorted(folder.glob("*.json"))}


def load_labels(path: Path = LABELS, folder: Path = CAPSULES) -> Labels:
    """The labels, each stem resolved to its capsule's @id (KeyError names an unknown stem)."""
    raw = yaml.safe_load(path.read_text("utf-8"))
    ids = capsule_ids(folder)

    def build(kind: str, entry: dict[str, Any]) -> Label:
        stems = tuple(str(s) for s in entry["capsules"])
        key = entry.get("key")
        pending = entry.get("pending")
        return Label(
            kind=kind,
            rule=str(entry["rule"]),
            stems=stems,
            capsules=tuple(ids[s] for s in stems),
            key=None if key is None else str(key),
            note=str(entry.get("note", "")),
            pending=None if pending is None else str(pending),
        )

    return Labels(
        now=datetime.fromisoformat(str(raw["now"]).replace("Z", "+00:00")),
        expected=tuple(build("expected", e) for e in raw.get("expected") or ()),
        must_not_fire=tuple(build("must_not_fire", e) for e in raw.get("must_not_fire") or ()),
    )


def run_audit(labels: Labels, folder: Path = CAPSULES) -> Report:
    """The audit of the set, with the labels' clock."""
    return audit([str(folder)], AuditConfig(now=labels.now))


def scored_findings(report: Report) -> tuple[Finding, ...]:
    """The findings that are scored: errors and warnings."""
    return tuple(f for f in report.findings if f.severity in SCORED)


def finding_units(findings: Iterable[Finding]) -> dict[Unit, Finding]:
    """Each (rule, capsule, key) the findings name, with the first finding naming it."""
    units: dict[Unit, Finding] = {}
    for finding in findings:
        for capsule in finding.capsules:
            units.setdefault((finding.rule, capsule, finding.key), finding)
    return units


def matches(label_unit: Unit, unit: Unit) -> bool:
    """A label unit matches a finding unit on rule and capsule, and on key when the label has one."""
    return label_unit[:2] == unit[:2] and (label_unit[2] is None or label_unit[2] == unit[2])


@dataclass
class RuleScore:
    rule: str
    expected: int = 0
    found: int = 0
    units: int = 0
    true_units: int = 0
    misses: list[tuple[Label, str]] = field(default_factory=list)
    false_alarms: list[tuple[Unit, Finding]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_units / self.units if self.units else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


@dataclass
class Score:
    rules: dict[str, RuleScore]
    violated: list[Label]  # must_not_fire labels a finding matches

    @property
    def overall(self) -> RuleScore:
        total = RuleScore("all")
        for r in self.rules.values():
            total.expected += r.expected
            total.found += r.found
            total.units += r.units
            total.true_units += r.true_units
            total.misses += r.misses
            total.false_alarms += r.false_alarms
        return total


def score(labels: Labels, findings: Iterable[Finding], *, exclude_pending: bool = False) -> Score:
    """Per-rule precision and recall of `findings` against `labels`.

    With `exclude_pending`, pending expected labels are not counted, and units that only a
    pending must_not_fire label explains are not counted as findings either.
    """
    units = finding_units(findings)
    expected = [lab for lab in labels.expected if not (exclude_pending and lab.pending)]
    waived = [lab for lab in labels.must_not_fire if exclude_pending and lab.pending]
    rules: dict[str, RuleScore] = {}
    for lab in expected:
        rule = rules.setdefault(lab.rule, RuleScore(lab.rule))
        for want, stem in zip(lab.units(), lab.stems, strict=True):
            rule.expected += 1
            if any(matches(want, unit) for unit in units):
                rule.found += 1
            else:
                rule.misses.append((lab, stem))
    for unit, finding in sorted(units.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or "")):
        if any(matches(want, unit) for lab in expected for want in lab.units()):
            true = True
        elif any(matches(want, unit) for lab in waived for want in lab.units()):
            continue
        else:
            true = False
        rule = rules.setdefault(unit[0], RuleScore(unit[0]))
        rule.units += 1
        rule.true_units += true
        if not true:
            rule.false_alarms.append((unit, finding))
    violated = [lab for lab in labels.must_not_fire if any(matches(w, u) for w in lab.units() for u in units)]
    return Score(dict(sorted(rules.items())), violated)


def table(result: Score) -> str:
    """A Markdown table: one row per rule, then the overall (micro-averaged) row."""
    lines = [
        "| rule | expected | found | findings | false alarms | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in [*result.rules.values(), result.overall]:
        lines.append(
            f"| {r.rule} | {r.expected} | {r.found} | {r.units} | {len(r.false_alarms)} "
            f"| {r.precision:.3f} | {r.recall:.3f} |"
        )
    return "\n".join(lines)


def _short(capsule: str) -> str:
    return capsule.rsplit("/", 1)[-1]


def details(result: Score, stems: dict[str, str]) -> str:
    """Every miss and false alarm, with the label's note or the finding's message."""
    by_id = {capsule: stem for stem, capsule in stems.items()}
    lines = []
    for lab, stem in result.overall.misses:
        pending = f" [pending: {lab.pending}]" if lab.pending else ""
        lines.append(f"miss        {lab.rule} {stem} {lab.key or ''}{pending}: {lab.note}")
    for (rule, capsule, key), finding in result.overall.false_alarms:
        stem = by_id.get(capsule, _short(capsule))
        lines.append(f"false alarm {rule} {stem} {key or ''}: {finding.message[:160]}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accuracy", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--tables-only", action="store_true", help="print the tables without misses and false alarms"
    )
    parser.add_argument(
        "--exclude-pending", action="store_true", help="also score without the pending labels"
    )
    args = parser.parse_args(argv)
    labels = load_labels()
    findings = scored_findings(run_audit(labels))
    stems = capsule_ids()
    print(
        f"{len(stems)} capsules, {len(labels.expected)} expected and {len(labels.must_not_fire)} must-not-fire labels"
    )
    for exclude in (False, True) if args.exclude_pending else (False,):
        result = score(labels, findings, exclude_pending=exclude)
        print("\npending labels excluded:" if exclude else "\nall labels:")
        print(table(result))
        if not args.tables_only:
            print()
            print(details(result, stems) or "no misses, no false alarms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
