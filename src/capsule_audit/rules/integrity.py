"""CA5xx: integrity. Is the text whole, does it match its hash, is each claim cited?

The two integrity rules that read the whole batch, CA503 (metadata earned, from the capsule's
other findings) and CA505 (a length shared by cut texts), are in `rules.batch_integrity`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from capsule_audit.models.claims import Span
from capsule_audit.models.findings import Location, Severity
from capsule_audit.models.records import CapsuleRecord, RecordKind
from capsule_audit.rules import construct
from capsule_audit.rules.base import (
    RuleContext,
    Scope,
    Subject,
    Violation,
    rule,
)
from capsule_audit.rules.batch_integrity import shared_text_length, unearned_verification_status
from capsule_audit.rules.invisible import invisible_control_character
from capsule_audit.rules.truncation import cut_words, looks_cut

_HEX64 = re.compile(r"[0-9a-f]{64}")


def _at(record: CapsuleRecord, field: str, span: Span | None = None) -> Location:
    source = record.source
    return construct.location(
        file=source.path, line=source.line, pointer=source.pointer or None, field=field, span=span
    )


@rule(code="CA501", name="truncated-text", severity=Severity.WARNING, scope=Scope.CAPSULE)
def truncated_text(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """The capsule's text is cut off: at its end, inside a word, or under a method header.

    Three signs, each its own finding: the text ends mid-word (its last word is the start of a
    longer word used earlier, as "18% h" after "higher") or mid-sentence (a trailing comma,
    colon or dash, a dangling "of"/"the", or prose without closing punctuation; a list item may
    end without a full stop); a numbered method header is followed by no body; a word inside the
    text is cut ("Recursive Gradient Optimiz in production" where "Recursive Gradient
    Optimization" appears elsewhere in the capsule). Texts of one length shared by many capsules
    are CA505.

    ## Why this matters
    A cut text has lost claims and sources. Whatever follows the cut, an editor cannot check it,
    and its content hash cannot match. Forge's export cuts texts at 2,000 characters.

    ## Fails
    A text ending "...SARIR-trained models scored 18% h"; a text whose last lines are
    "**3. Sparse Activation Backpropagation (SAB)**" then "## Sources".

    ## Passes
    A text whose sections all end in full sentences or complete list items, each method header
    followed by its description.
    """
    record, extracted = subject.record, subject.extracted
    text = record.text
    if record.kind is RecordKind.CAPSULE and text.strip():
        reason = looks_cut(text)
        if reason:
            end = len(text.rstrip())
            start = max(0, end - 60)
            yield Violation(
                message=f"text ends {reason} ({len(text)} characters)",
                location=_at(record, "text", Span(start=start, end=end)),
                evidence=(
                    construct.evidence(
                        capsule=record.id, text=text[start:end], span=Span(start=start, end=end)
                    ),
                ),
                identity="end",
            )
    for item in extracted.methods:
        if not item.has_body:
            yield Violation(
                message=f"method header {item.name!r} has no body",
                location=_at(record, "text", item.span),
                evidence=(
                    construct.evidence(
                        capsule=record.id, text=text[item.span.start : item.span.end], span=item.span
                    ),
                ),
                identity=f"method:{item.ordinal}:{item.name}",
            )
    for span, whole in cut_words(text):
        yield Violation(
            message=f"word cut inside the text: {text[span.start : span.end]!r} (elsewhere {whole!r})",
            location=_at(record, "text", span),
            # The cut word itself; stamping adds the sentence around it.
            evidence=(construct.evidence(capsule=record.id, text=text[span.start : span.end], span=span),),
            identity=f"word:{text[span.start : span.end]}:{whole}",
        )


@rule(code="CA502", name="content-hash-mismatch", severity=Severity.ERROR, scope=Scope.CAPSULE)
def content_hash_mismatch(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """`content_hash` is malformed or is not the SHA-256 of the stripped text.

    Forge computes `content_hash` as the SHA-256 of the UTF-8 content with leading and trailing
    whitespace stripped. A malformed value (not 64 lower-case hex digits) and a mismatch on a text
    that looks complete are errors; a mismatch on a text that looks cut is a warning, because an
    export cut explains it (and the hash cannot tell what was cut).

    ## Why this matters
    The hash is the only proof the exported text is the stored text. A mismatch means the text
    was cut or altered after it was hashed.

    ## Fails
    `content_hash` "575b98...a600" on a text cut at 2,000 characters (warning); "ABC123" (error).

    ## Passes
    `content_hash` equal to `sha256(text.strip().encode("utf-8")).hexdigest()`, or no hash.
    """
    record = subject.record
    given = record.properties.content_hash
    if given is None:
        return
    where = _at(record, "additionalProperty.content_hash")
    evidence = (construct.evidence(capsule=record.id, text=given),)
    if not _HEX64.fullmatch(given):
        yield Violation(
            message="content_hash is not 64 lower-case hex digits (SHA-256)",
            location=where,
            evidence=evidence,
            identity="malformed",
        )
        return
    actual = hashlib.sha256(record.text.strip().encode("utf-8")).hexdigest()
    if actual == given:
        return
    cut = looks_cut(record.text) if record.text.strip() else None
    state = f"the text looks cut (ends {cut})" if cut else "the text looks complete, so it was altered"
    yield Violation(
        message=f"content_hash does not match SHA-256 of the stripped text; {state}",
        location=where,
        evidence=evidence,
        severity=Severity.WARNING if cut else None,
        identity="mismatch",
    )


@rule(code="CA504", name="uncited-claim", severity=Severity.INFO, scope=Scope.CAPSULE)
def uncited_claim(subject: Subject, ctx: RuleContext) -> Iterator[Violation]:
    """Claims that cite nothing at all: no identifier, URL or title, explicit or positional.

    One finding per capsule, listing its uncited claims. Claims of the Implications section are
    left out: they restate the findings above them.

    ## Why this matters
    A claim without a source cannot be checked; editors review such claims first.

    ## Fails
    "A team at DeepMind unveiled SAR, reducing GPU memory usage by 60%." with no source near it
    and no Sources entry to bind it to.

    ## Passes
    Every finding bound to a source, by a `Source:` line or by its position in the Sources list.
    """
    uncited = [
        c for c in subject.extracted.claims if not c.citations and not c.item_sources and not c.implication
    ]
    if not uncited:
        return
    record = subject.record
    yield Violation(
        message=f"{len(uncited)} claim(s) cite no source",
        claims=tuple(c.id for c in uncited),
        location=_at(record, "text", uncited[0].span),
        evidence=tuple(
            construct.evidence(
                capsule=record.id, text=record.text[c.span.start : c.span.end], span=c.span, claim=c.id
            )
            for c in uncited[:5]
        ),
    )


INTEGRITY_RULES = (
    truncated_text,
    content_hash_mismatch,
    unearned_verification_status,
    uncited_claim,
    shared_text_length,
    invisible_control_character,
)
