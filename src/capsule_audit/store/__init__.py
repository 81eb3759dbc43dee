"""Disk-backed storage for an audit's outcome: spools, sorted spools, per-capsule joins."""
