"""Maintainers' tools: `make bench` (bench.py) and the test step's start-up plugin (pytest_startup.py)."""
