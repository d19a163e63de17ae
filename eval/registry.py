"""The benchmarks by name: `open_benchmark("misi", data)`, and `register()` for a new one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from eval.benchmark import Benchmark, BenchmarkError

Opener = Callable[[Path | None], Benchmark]


def _open_misi(data: Path | None) -> Benchmark:
    from eval.misi.bench import open_misi

    return open_misi(data)


def _open_scivideo(data: Path | None) -> Benchmark:
    from eval.scivideo.bench import open_scivideo

    return open_scivideo(data)


# Openers are looked up by name and import their package only when called, so naming a benchmark
# costs nothing until it is opened.
_REGISTRY: dict[str, Opener] = {"misi": _open_misi, "scivideo": _open_scivideo}


def register(name: str, opener: Opener) -> None:
    """Add a benchmark: `opener(data_dir or None)` returns it (None: its bundled items)."""
    _REGISTRY[name] = opener


def benchmark_names() -> list[str]:
    return list(_REGISTRY)


def open_benchmark(name: str, data: Path | None = None) -> Benchmark:
    """The named benchmark over `data` (a built directory or a release), or its bundled items."""
    if name not in _REGISTRY:
        raise BenchmarkError(f"unknown benchmark '{name}' (valid: {', '.join(_REGISTRY)})")
    return _REGISTRY[name](data)
