"""The CI options of `capsule-audit audit`: baselines, --focus, several outputs, --exit-zero.

Kept apart from `cli/audit.py` so that the audit command only forwards them: the audit result
is seen through them here (`store.narrowed`) after the audit and before any output is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from capsule_audit.baseline import read_baseline, stream_baseline
from capsule_audit.store.narrowed import Narrowed
from capsule_audit.store.result import AuditResult


@dataclass(frozen=True)
class CiOptions:
    """What the CI flags asked for; the defaults change nothing."""

    exit_zero: bool = False
    baseline: Path | None = None
    write_baseline: Path | None = None
    focus: tuple[str, ...] = ()
    outputs: Mapping[str, str | None] = field(default_factory=dict)  # format -> file ('-': stdout)

    def extra_outputs(self) -> list[tuple[str, str]]:
        """(format, destination) of each `--<format>-output` asked for, in option order."""
        return [(fmt, dest) for fmt, dest in self.outputs.items() if dest is not None]

    def formats(self) -> set[str]:
        """The formats written through `--<format>-output` options."""
        return {fmt for fmt, _ in self.extra_outputs()}


def narrowed(result: AuditResult, options: CiOptions) -> AuditResult | Narrowed:
    """Write the baseline (every finding) if asked; the result as the outputs and the exit code
    see it: marked against --baseline and narrowed to --focus, still streamed from disk."""
    if options.write_baseline is not None:
        stream_baseline(result.findings, options.write_baseline, result.workspace)
    if options.baseline is None and not options.focus:
        return result
    accepted = read_baseline(options.baseline) if options.baseline is not None else None
    return Narrowed(result, accepted=accepted, baseline_path=str(options.baseline or ""), focus=options.focus)
