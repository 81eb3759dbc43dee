"""Normalization: loaded documents to typed capsule records, or the findings that reject them.

Other modules call `iter_records` (load + normalize) or `normalize_document` (one document).
"""

from capsule_audit.normalize.build import CAPSULE_TYPES
from capsule_audit.normalize.dispatch import iter_records, normalize_document

__all__ = ["CAPSULE_TYPES", "iter_records", "normalize_document"]
