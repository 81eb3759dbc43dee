"""--focus: audit the whole corpus for context, report only on findings involving a new batch.

A CI job checks a new batch against the accepted corpus: every capsule is loaded (so a conflict
between a new capsule and an old one is found), but only findings that involve a capsule whose
source lies under a focus path, or that point at a file under one, are kept
(`store.narrowed.Narrowed` applies it to an audit's result).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence

from capsule_audit.models.findings import Finding


def _normal(path: str) -> str:
    # Lexical, not resolved: paths in the report are as given on the command line.
    return os.path.normcase(os.path.abspath(path))


def is_under(path: str, roots: Sequence[str]) -> bool:
    """Whether `path` is one of `roots` or lies inside one ('-', stdin, is under none)."""
    if path == "-":
        return False
    target = _normal(path)
    for root in roots:
        base = _normal(root)
        if target == base or target.startswith(base.rstrip(os.sep) + os.sep):
            return True
    return False


def involves(finding: Finding, focus: Collection[str], roots: Sequence[str]) -> bool:
    """Whether a finding names a focused capsule or points at a file under a focus path."""
    if any(capsule in focus for capsule in finding.capsules):
        return True
    return finding.location.file is not None and is_under(finding.location.file, roots)
