"""Opening a benchmark by name: MiSI-Bench (bundled or a built directory) or SciVideoBench (a data dir)."""

from __future__ import annotations

from pathlib import Path

from eval.bench import BenchmarkError, open_benchmark

BENCHMARKS = ("misi", "scivideo")


def open_named(name: str, data: Path | None = None):  # -> Benchmark-like (ids, item, items, ensure_images)
    """`data`: a built MiSI directory or a SciVideoBench release directory; None = the bundled items."""
    if name == "misi":
        return open_benchmark(data)
    if name == "scivideo":
        from eval.scivideo import open_scivideo

        return open_scivideo(data)
    raise BenchmarkError(f"unknown benchmark '{name}' (valid: {', '.join(BENCHMARKS)})")
