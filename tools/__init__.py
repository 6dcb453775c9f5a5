"""Maintainers' tools: `make bench` (bench.py), the book build command (book.py), and the test step's first
pytest plugin (pytest_startup.py)."""
