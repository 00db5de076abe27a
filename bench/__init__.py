"""Benchmarks (docs/benchmarks.md): run the scripts, e.g. `.venv/bin/python bench/search.py`."""
