"""CA503 and CA505: integrity seen across the batch, not in one text alone.

CA503 runs after the other rules (FOLLOW_UP) and reads the heads of the findings that name the
capsule; CA505 reads the group of capsules whose texts share one length.
"""

from __future__ import annotations

from collections.abc import Iterator

from capsule_audit.models.claims import Span
from capsule_audit.models.findings import Severity
from capsule_audit.rules import construct
from capsule_audit.rules.base import (
    CapsuleMeta,
    FindingHead,
    Group,
    GroupKind,
    RuleContext,
    Scope,
    Violation,
    rule,
)
from capsule_audit.rules.declared import HeadsRead, RuleOption
from capsule_audit.rules.truncation import tail_looks_cut

_VERIFIED_STATUS = frozenset({"sources_verified"})
_VERIFIED_EVIDENCE = frozenset({"verified_report", "peer_reviewed"})
_CITATION_FAMILIES = ("CA2", "CA3", "CA4", "CA7")


@rule(
    code="CA503",
    name="unearned-verification-status",
    severity=Severity.ERROR,
    scope=Scope.FOLLOW_UP,
    reads=HeadsRead(severities=frozenset({Severity.ERROR}), rule_prefixes=_CITATION_FAMILIES, keyed=True),
)
def unearned_verification_status(
    meta: CapsuleMeta, findings: tuple[FindingHead, ...], ctx: RuleContext
) -> Iterator[Violation]:
    """The metadata claims verification while the capsule's citations have errors.

    Fires when `verification_status` is `sources_verified`, or `evidence_level` is
    `verified_report` or `peer_reviewed`, and some error finding of an identifier, date,
    attribution or online-verification rule (CA2xx, CA3xx, CA4xx, CA7xx) names this capsule and a
    cited key.

    ## Why this matters
    Readers trust a capsule marked verified more than its text earns. A verification label over a
    miscited or impossible source is worse than no label.

    ## Fails
    A capsule with `verification_status` `sources_verified` whose arXiv citation is credited to
    a different method by another capsule (CA401 error).

    ## Passes
    The same capsule marked `unverified`; or a `sources_verified` capsule with no citation errors.
    """
    props = meta.properties
    claims_verified = (props.verification_status in _VERIFIED_STATUS) or (
        props.evidence_level in _VERIFIED_EVIDENCE
    )
    if not claims_verified:
        return
    errors = [
        f
        for f in findings
        if f.severity is Severity.ERROR and f.key and f.rule.startswith(_CITATION_FAMILIES)
    ]
    if not errors:
        return
    labels = [
        f"{name}={value}"
        for name, value in (
            ("verification_status", props.verification_status),
            ("evidence_level", props.evidence_level),
        )
        if value
    ]
    keys = sorted({f"{f.rule} {f.key}" for f in errors})
    yield Violation(
        message=f"{', '.join(labels)} but its citations have {len(errors)} error finding(s): {'; '.join(keys)}",
        location=construct.location(file=meta.source.path, line=meta.source.line, field="additionalProperty"),
        evidence=tuple(construct.evidence(capsule=meta.id, text=label) for label in labels),
    )


@rule(
    code="CA505",
    name="shared-text-length",
    severity=Severity.WARNING,
    scope=Scope.GROUP,
    group_by=GroupKind.TEXT_LENGTH,
    options=(
        RuleOption("min_capsules", "integer", 3, "Least capsules sharing one text length."),
        RuleOption("cut_share", "number", 0.5, "Least share of them that end abruptly.", maximum=1),
    ),
)
def shared_text_length(group: Group, ctx: RuleContext) -> Iterator[Violation]:
    """Many capsules have texts of exactly one length, and most of them end abruptly: an export cut.

    Fires on a length shared by at least `CA505.min_capsules` (default 3) capsules when at least
    `CA505.cut_share` (default 0.5) of them end without closing punctuation; names those capsules.
    A per-capsule rule (CA501) cannot see this: the sign is in the batch, not in one text.

    ## Why this matters
    An exporter that cuts every text at a fixed length loses the end of every long capsule. The
    shared length tells the editor the loss is systematic and where to fetch complete texts.

    ## Fails
    Three capsules whose texts are each exactly 2,000 characters and end "18% h", "abs/26" and
    "per training step,".

    ## Passes
    Capsules that happen to share a length but end in full sentences.
    """
    members: dict[str, str] = {}  # capsule -> its text's tail
    for m in group.members:
        members.setdefault(m.capsule, m.text_sample or "")
    cut = sorted(capsule for capsule, tail in members.items() if tail_looks_cut(tail))
    if len(members) < int(ctx.threshold("CA505.min_capsules", 3)):
        return
    if len(cut) < 2 or len(cut) < ctx.threshold("CA505.cut_share", 0.5) * len(members):
        return
    yield Violation(
        message=f"{len(members)} capsules have texts of exactly {group.key} characters; {len(cut)} end abruptly",
        capsules=tuple(cut),
        key=f"length:{group.key}",
        evidence=tuple(
            construct.evidence(capsule=c, text=members[c], span=_tail(group.key, members[c]))
            for c in cut[:10]
        ),
    )


def _tail(length: str, tail: str) -> Span:
    """Where a text's tail stands: the group key is the text's length."""
    return Span(start=int(length) - len(tail), end=int(length))
