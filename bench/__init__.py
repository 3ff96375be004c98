"""Benchmarks run by `make bench`; results are written into docs/PERFORMANCE.md by hand."""
