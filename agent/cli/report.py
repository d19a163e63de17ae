"""`agent report RUN [RUN ...]`: per-task tables and paired comparisons (placeholder)."""

from __future__ import annotations


def report() -> None:
    """Report one or more runs."""
