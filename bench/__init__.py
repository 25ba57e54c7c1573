"""Benchmarks that print ratios measured in one run: `python -m bench` (see README.md)."""
