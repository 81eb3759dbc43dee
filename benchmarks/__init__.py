"""Benchmarks: scripts run with `python -m benchmarks.<name>`, never by pytest."""
