"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from agent.cli.console import make_console, slow
from agent.cli.errors import UsageProblem

if TYPE_CHECKING:
    from eval.benchmark import Benchmark

BenchDir = typer.Option(
    None,
    "--bench-dir",
    "--data",
    help="A built benchmark directory or a release directory (default: the benchmark's bundled items).",
)
BenchName = typer.Option(
    None, "--bench", help="misi | scivideo (default: from the item id's prefix, else misi)."
)


def split_list(values: list[str] | None) -> list[str]:
    """Accept both `--tasks T1,T2` and `--tasks T1 --tasks T2`."""
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def check_tasks(values: list[str] | None, valid: list[str]) -> list[str]:
    tasks = [t.upper() for t in split_list(values)]
    unknown = [t for t in tasks if t not in valid]
    if unknown:
        raise UsageProblem(f"unknown task {', '.join(unknown)} (valid: {', '.join(valid)})")
    return tasks


def existing_dir(path: Path | None, what: str) -> Path | None:
    if path is not None and not path.is_dir():
        raise UsageProblem(f"{what} {path}: no such directory")
    return path


def bench_for_item(item_id: str, bench: str | None, data: Path | None) -> Benchmark:
    """The benchmark an item id belongs to: --bench, else the id's prefix (`scivideo-0003`), else misi."""
    from eval.registry import benchmark_names, open_benchmark

    if data is not None and not data.exists():
        raise UsageProblem(f"--bench-dir {data}: no such file or directory")
    if bench is None:
        prefix = item_id.split("-", 1)[0]
        bench = prefix if prefix in benchmark_names() else "misi"
    # The bundled items are planned (or built) into the cache on first use: several seconds, said so.
    with slow(
        make_console(stderr=True), f"opening the {bench} benchmark (the bundled one is planned on first use)"
    ):
        return open_benchmark(bench, data)
