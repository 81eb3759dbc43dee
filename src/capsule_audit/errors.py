"""The exception tree. Exceptions mean the tool broke or was misused; bad input is a finding."""

from __future__ import annotations


class CapsuleAuditError(Exception):
    """Base of every error capsule-audit raises on purpose; the CLI turns it into exit code 2."""


class UsageError(CapsuleAuditError):
    """The command line or the API was called wrongly (no such path, unknown format)."""


class ConfigError(CapsuleAuditError):
    """The configuration file or a flag's value is invalid (unknown rule code, bad threshold)."""


class NetworkDisabledError(CapsuleAuditError):
    """Something tried to reach the network while online verification is off."""
