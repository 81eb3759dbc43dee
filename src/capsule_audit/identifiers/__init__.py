"""Identifier plausibility: arXiv IDs, DOIs, Nature journal codes, placeholders, method names."""
