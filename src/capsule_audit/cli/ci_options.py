"""The CI options of `capsule-audit audit`: baselines, --focus, several outputs, --exit-zero.

Kept apart from `cli/audit.py` so that the audit command only forwards them: the audit result
is seen through them here (`store.narrowed`) after the audit and before any output is written.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from capsule_audit.baseline import read_baseline, write_baseline
from capsule_audit.errors import UsageError
from capsule_audit.focus import is_under
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
        """(format, destination) of each `--<format>-output` asked for, in option order; an
        empty destination (an unset variable: `--markdown-output "$GITHUB_STEP_SUMMARY"` outside
        GitHub Actions) is not asked for (`empty_outputs` names them for a warning)."""
        return [(fmt, dest) for fmt, dest in self.outputs.items() if dest]

    def empty_outputs(self) -> list[str]:
        """The `--<format>-output` options given an empty path."""
        return [f"--{fmt}-output" for fmt, dest in self.outputs.items() if dest == ""]

    def formats(self) -> set[str]:
        """The formats written through `--<format>-output` options."""
        return {fmt for fmt, _ in self.extra_outputs()}


def check_focus(focus: Sequence[str], paths: Sequence[str]) -> None:
    """Before the audit: each --focus path must exist and lie among the inputs (or hold one).

    A focus that matches nothing reports nothing, and a CI gate would pass on a typo.
    """
    files = [path for path in paths if path != "-" and not path.startswith(("http://", "https://"))]
    for root in focus:
        if not os.path.exists(root):
            raise UsageError(f"--focus {root}: no such file or directory")
        if not any(is_under(root, [path]) or is_under(path, [root]) for path in files):
            raise UsageError(f"--focus {root}: not inside any audited input ({' '.join(paths)})")


def check_focus_matched(result: AuditResult, focus: Sequence[str]) -> None:
    """After the audit: each --focus path must hold a document that was read (a capsule, a
    digest, or a rejected document with a finding on its file). One pass, stopping once each
    focus has a match; the findings are read only for a focus still without one."""
    missing = list(focus)
    if not missing:
        return
    for paths in ((path for _, path in result.capsule_table.paths()), _finding_files(result)):
        for path in paths:
            missing = [root for root in missing if not is_under(path, [root])]
            if not missing:
                return
    raise UsageError(f"--focus {missing[0]}: matched no document of the audit")


def _finding_files(result: AuditResult) -> Iterator[str]:
    return (f.location.file for f in result.findings if f.location.file is not None)


def narrowed(result: AuditResult, options: CiOptions) -> AuditResult | Narrowed:
    """Write the baseline (every finding) if asked; the result as the outputs and the exit code
    see it: marked against --baseline and narrowed to --focus, still streamed from disk."""
    check_focus_matched(result, options.focus)
    if options.write_baseline is not None:
        write_baseline(result.findings, options.write_baseline, result.store)
    if options.baseline is None and not options.focus:
        return result
    accepted = read_baseline(options.baseline) if options.baseline is not None else None
    return Narrowed(result, accepted=accepted, baseline_path=str(options.baseline or ""), focus=options.focus)
