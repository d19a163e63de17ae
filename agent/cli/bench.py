"""`agent bench build | list | show`."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table

from agent.cli.errors import UsageProblem
from agent.cli.options import BenchDir, BenchName, bench_for_item, check_tasks, existing_dir, split_list
from eval.bundled import BUNDLED_COMPLEXES

app = typer.Typer(help="Build, list and show benchmark items.", no_args_is_help=True)
console = Console()


@app.command("build")
def build_cmd(
    out: Path = typer.Option(..., "--out", help="Directory to build the benchmark in (created if needed)."),
    bench: str = typer.Option("misi", "--bench", help="misi | scivideo (local video items)."),
    complexes: Path = typer.Option(BUNDLED_COMPLEXES, "--complexes", help="Folder of complex folders."),
    per_task: int = typer.Option(2, "--per-task", min=1, help="Items per task per complex."),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same seed gives identical item files."),
    tasks: list[str] = typer.Option(None, "--tasks", help="Tasks to build, e.g. T1,T4 (default: all nine)."),
    workers: int = typer.Option(os.cpu_count() or 1, "--workers", min=1, help="Rendering processes."),
    size: int = typer.Option(512, "--size", min=64, max=4096, help="Image width and height in pixels."),
    antialias: int = typer.Option(1, "--antialias", min=0, max=4, help="PyMOL antialias level."),
    lazy: bool = typer.Option(False, "--lazy", help="Plan items only; render images when first used."),
) -> None:
    """Build MiSI-style items for all nine tasks, or SciVideoBench-style video items, from real complexes."""
    if bench not in {"misi", "scivideo"}:
        raise UsageProblem(f"unknown benchmark '{bench}' for build (valid: misi, scivideo)")
    existing_dir(complexes, "--complexes")
    if bench == "scivideo":
        _build_videos(out, complexes, seed, workers, size)
    else:
        _build_misi(out, complexes, seed, workers, size, per_task, tasks, antialias, lazy)


def _build_misi(
    out: Path, complexes: Path, seed: int, workers: int, size: int, per_task: int, tasks: list[str] | None,
    antialias: int, lazy: bool,
) -> None:  # fmt: skip
    from eval.misi.build.builder import ALL_TASKS, BuildConfig, build

    config = BuildConfig(
        complexes=complexes,
        out=out,
        per_task=per_task,
        seed=seed,
        tasks=check_tasks(tasks, ALL_TASKS) or list(ALL_TASKS),
        workers=workers,
        image_size=size,
        antialias=antialias,
        render=not lazy,
    )
    start = time.perf_counter()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        bars: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in bars:
                bars[stage] = bar.add_task(stage, total=total)
            bar.update(bars[stage], completed=done, total=total)

        summary = build(config, progress)
    elapsed = time.perf_counter() - start
    table = Table(title="MiSI-style benchmark")
    table.add_column("task")
    table.add_column("items", justify="right")
    table.add_column("skipped", justify="right")
    for task in config.tasks:
        table.add_row(task, str(summary.items.get(task, 0)), str(len(summary.skipped_items.get(task, []))))
    console.print(table)
    console.print(f"built in {out}", soft_wrap=True, highlight=False)
    console.print(
        f"{sum(summary.items.values())} items, {summary.images} images ({summary.rendered} rendered now) "
        f"in {elapsed:.1f} s with {workers} worker(s)"
    )
    for pdb_id, reason in summary.skipped_complexes.items():
        console.print(f"[yellow]skipped complex {pdb_id}[/]: {reason}", soft_wrap=True, highlight=False)


@app.command("import-official")
def import_cmd(
    src: Path = typer.Argument(
        ..., help="A local copy of the official MiSI-Bench release (JSON/JSONL rows)."
    ),
    out: Path = typer.Option(..., "--out", help="Benchmark directory to write."),
) -> None:
    """Convert the official release to this project's items (layout not yet checked against real files)."""
    from eval.misi.official import import_official

    existing_dir(src, "source")
    items = import_official(src, out)
    console.print(
        f"imported {len(items)} items into {out} (official layout not yet verified)", soft_wrap=True
    )


@app.command("list")
def list_cmd(
    task: list[str] = typer.Option(None, "--task", help="Only these tasks (T1…T9; SciVideoBench: types)."),
    bench_name: str = typer.Option("misi", "--bench", help="misi | scivideo (or any registered benchmark)."),
    bench_dir: Path = BenchDir,
) -> None:
    """Print item ids, one per line."""
    from eval.benchmark import open_benchmark

    bench = open_benchmark(bench_name, existing_dir(bench_dir, "--bench-dir"))
    wanted = bench.check_tasks(split_list(task))
    for item_id in bench.ids:
        if not wanted or bench.task_of(item_id) in wanted:
            typer.echo(item_id)


@app.command("show")
def show_cmd(
    item_id: str = typer.Argument(..., metavar="ID", help="Item id, e.g. misi-T1-1acj-0."),
    bench_name: str = BenchName,
    bench_dir: Path = BenchDir,
    as_json: bool = typer.Option(False, "--json", help="Print the stored item as JSON."),
) -> None:
    """Print an item's prompt, its images (rendered if needed) and the gold answer."""
    bench = bench_for_item(item_id, bench_name, bench_dir)
    item = bench.item(item_id)
    bench.ensure_images(item)
    if as_json:
        typer.echo(json.dumps(item.model_dump(mode="json"), indent=1))
        return
    console.rule(f"{item.id} · {item.task} {item.task_name}")
    console.print(item.prompt, markup=False, highlight=False)
    console.rule("images")
    for i, im in enumerate(item.images, start=1):
        console.print(f"{i:>2}. {bench.root / im.path}  ({im.role})", markup=False, soft_wrap=True)
    if item.video is not None:
        console.rule("video")
        console.print(str(bench.root / item.video.path), markup=False, soft_wrap=True)
    if item.options:
        console.rule("options")
        for letter, text in item.options.items():
            console.print(f"{letter}: {text}", markup=False)
    console.rule("gold")
    console.print(item.gold, markup=False)


def _build_videos(out: Path, complexes: Path, seed: int, workers: int, size: int) -> None:
    """Local SciVideoBench-style items in the release's layout (jsonl + videos/jove_<id>.mp4)."""
    from eval.scivideo.local import build_local

    with console.status("rendering and encoding movies"):
        summary = build_local(out, complexes=complexes, seed=seed, workers=workers, size=size)
    console.print(f"built in {out}", soft_wrap=True, highlight=False)
    console.print(
        f"{summary['questions']} questions on {summary['videos']} videos "
        f"({summary['frames_rendered']} frames rendered) in {summary['seconds']:.1f} s",
        highlight=False,
    )
