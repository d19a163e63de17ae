"""`agent run`: a whole benchmark in batch (placeholder)."""

from __future__ import annotations


def run() -> None:
    """Run a benchmark in batch."""
