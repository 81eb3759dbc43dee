"""Online verification (`--online` only): cited identifiers checked at arXiv, Crossref, doi.org.

Entry points: `online.verify.verify(extracted, options) -> {key: Verdict}` for the CA70x rules,
`online.forge.ForgeFetcher` for capsule URLs. Kept import-light on purpose: the rules import
`online.compare`, and an offline run must not pay for (or touch) the HTTP stack.
"""
