"""Benchmarks: `python -m benchmarks [NAME…]` prints figures with a naive baseline measured in the same run."""
