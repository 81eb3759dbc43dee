"""The CI options of `capsule-audit audit`: baselines, --focus, several outputs, --exit-zero.

Kept apart from `cli/audit.py` so that the audit command only forwards them: the report is
post-processed here after the audit and before the main output is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from capsule_audit.baseline import apply_baseline, write_baseline
from capsule_audit.focus import apply_focus
from capsule_audit.models.report import Report
from capsule_audit.reporters import write_outputs


@dataclass(frozen=True)
class CiOptions:
    """What the CI flags asked for; the defaults change nothing."""

    exit_zero: bool = False
    baseline: Path | None = None
    write_baseline: Path | None = None
    focus: tuple[str, ...] = ()
    outputs: Mapping[str, str | None] = field(default_factory=dict)  # format -> file ('-': stdout)

    @property
    def post_processes(self) -> bool:
        """Whether the report is changed (baseline, focus) or a baseline written from it."""
        return bool(self.baseline or self.write_baseline or self.focus)

    def extra_outputs(self) -> list[tuple[str, str]]:
        """(format, destination) of each `--<format>-output` asked for, in option order."""
        return [(fmt, dest) for fmt, dest in self.outputs.items() if dest is not None]

    def formats(self) -> set[str]:
        """The formats written through `--<format>-output` options."""
        return {fmt for fmt, dest in self.outputs.items() if dest is not None}


def apply_ci_options(report: Report, options: CiOptions) -> Report:
    """Write the baseline (every finding), mark against --baseline, narrow to --focus, then
    write the extra outputs; returns the report the main output and the exit code use."""
    if options.write_baseline is not None:
        write_baseline(report, options.write_baseline)
    if options.baseline is not None:
        report = apply_baseline(report, options.baseline)
    if options.focus:
        report = apply_focus(report, options.focus)
    write_outputs(report, options.outputs)
    return report
