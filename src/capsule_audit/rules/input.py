"""CA0xx: problems with a document itself, raised by loading and normalization.

These rules are never called by the engine: loading and normalization emit them through
`capsule_audit.rules.stamp.input_finding`. They are declared here so that the registry, the docs,
SARIF and `capsule-audit rule CA001` know them like any other rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from capsule_audit.models.findings import Severity
from capsule_audit.rules.base import Scope, Violation, rule


@rule(code="CA001", name="unreadable-input", severity=Severity.ERROR, scope=Scope.INPUT)
def unreadable_input() -> Iterator[Violation]:
    """A file cannot be read, is not valid JSON, or is not valid text in its encoding.

    ## Why this matters
    A document that cannot be parsed cannot be audited; silently skipping it would let a broken
    export pass CI. The rest of the batch is still audited.

    ## Fails
    `{"@type": "CreativeWork", "name": }` (invalid JSON); a file of bytes that are not UTF-8
    (an image in the dump folder); an NDJSON line cut off mid-object. In a folder, also a
    symbolic link leading out of the folders given (not followed without `--follow-links`), a
    broken link, or a device, pipe or socket (never opened).

    ## Passes
    Any well-formed JSON document, NDJSON line or UTF-8 text page.
    """
    yield from ()


@rule(code="CA002", name="not-a-capsule", severity=Severity.ERROR, scope=Scope.INPUT)
def not_a_capsule() -> Iterator[Violation]:
    """A JSON document holds no `CreativeWork` node, or its CreativeWork has no absolute `@id`.

    ## Why this matters
    Only CreativeWork nodes with an IRI can be cross-checked and cited back to the editor. A
    relative `@id` (`""`, `"capsules/1"`) has no document URL to resolve against: it is reported
    at its JSON pointer, never resolved against a guessed base.

    ## Fails
    `{"@context": "https://schema.org", "@type": "Person", "name": "Ada"}`;
    a CreativeWork without `@id`, or with `"@id": ""`; a JSON array of numbers.

    ## Passes
    `{"@context": "https://schema.org", "@type": "CreativeWork", "@id": "https://forgecascade.org/public/capsules/<uuid>", ...}`
    """
    yield from ()


@rule(code="CA003", name="remote-context", severity=Severity.ERROR, scope=Scope.INPUT)
def remote_context() -> Iterator[Violation]:
    """The `@context` is a remote document other than schema.org, or cannot be resolved.

    ## Why this matters
    capsule-audit never fetches a context from the network: a remote context would make the audit
    depend on a third-party server, leak what is being audited, and could hang. schema.org's
    context is bundled; any other remote context is named in the finding.

    ## Fails
    `{"@context": "https://example.org/ctx.jsonld", "@type": "CreativeWork", ...}`

    ## Passes
    `"@context": "https://schema.org"` (any alias), an inline context object, or expanded JSON-LD.
    """
    yield from ()


@rule(code="CA004", name="invalid-field-value", severity=Severity.ERROR, scope=Scope.INPUT)
def invalid_field_value() -> Iterator[Violation]:
    """A field has a value of the wrong type or out of range.

    ## Why this matters
    Typed records are what every later rule relies on; a `trust_level` of 250 or a date that does
    not parse would make date and trust checks meaningless. The field is reported at its JSON
    pointer and left out of the record, as if absent; the rest of the capsule is still audited.
    (A JSON `null` is absent, as JSON-LD has it: never a finding.)

    ## Fails
    `trust_level` 250; `dateCreated` "last Tuesday"; `name` given as a number.

    ## Passes
    `trust_level` 0-100; ISO 8601 dates with `Z` or an offset and any number of fractional digits.
    """
    yield from ()


@rule(code="CA005", name="over-limit", severity=Severity.ERROR, scope=Scope.INPUT)
def over_limit() -> Iterator[Violation]:
    """A document breaks an input limit: size, nesting depth, NaN/Infinity, huge integers, duplicate keys.

    ## Why this matters
    Limits keep one hostile or broken document from exhausting memory or time, and duplicate JSON
    keys make a document mean different things to different parsers.

    ## Fails
    A 6 MiB document (default limit 5 MiB); 101 levels of nesting (default 100); `NaN`;
    an integer of 5,000 digits; `{"name": "a", "name": "b"}`.

    ## Passes
    Ordinary capsules, a few kilobytes each.
    """
    yield from ()


INPUT_RULES = (unreadable_input, not_a_capsule, remote_context, invalid_field_value, over_limit)
