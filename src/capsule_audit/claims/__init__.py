"""Claim extraction: atomic claims of a capsule, each bound to the identifiers it cites.

`extract(record)` is the entry point; `citations.find_citations` and
`citations.normalize_identifier` parse identifiers for other modules.
"""

from capsule_audit.claims.citations import find_citations, normalize_identifier
from capsule_audit.claims.extract import extract

__all__ = ["extract", "find_citations", "normalize_identifier"]
