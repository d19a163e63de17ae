"""Measurement scripts (speed, agreement), run as `python -m eval.perf.<name>`."""
