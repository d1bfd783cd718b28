"""Benchmarks, run by `make bench` (`python -m bench`): each module with a `run()` is one."""
