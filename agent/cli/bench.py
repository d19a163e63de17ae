"""`agent bench build | list | show | export`."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from agent.cli import bench_release
from agent.cli.bench_export import export_cmd
from agent.cli.build_progress import BuildProgress
from agent.cli.console import make_console, say, slow
from agent.cli.errors import UsageProblem
from agent.cli.options import BenchDir, BenchName, bench_for_item, check_tasks, existing_dir, split_list
from eval.bundled import BUNDLED_COMPLEXES

if TYPE_CHECKING:
    from eval.misi.build.builder import BuildConfig, BuildSummary
    from tools.render.pool import Executor

app = typer.Typer(help="Build, list, show and export benchmark items.", no_args_is_help=True)
app.command("export")(export_cmd)
console = make_console()


@app.command("build")
def build_cmd(
    out: Path = typer.Option(..., "--out", help="Directory to build the benchmark in (created if needed)."),
    bench: str = typer.Option("misi", "--bench", help="misi | scivideo (local video items)."),
    complexes: Path = typer.Option(BUNDLED_COMPLEXES, "--complexes", help="Folder of complex folders."),
    per_task: int = typer.Option(None, "--per-task", min=1, help="Items per task per complex (default 2)."),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same seed gives identical item files."),
    tasks: list[str] = typer.Option(None, "--tasks", help="Tasks to build, e.g. T1,T4 (default: all nine)."),
    workers: int = typer.Option(os.cpu_count() or 1, "--workers", min=1, help="Rendering processes."),
    size: int = typer.Option(512, "--size", min=64, max=4096, help="Image width and height in pixels."),
    antialias: int = typer.Option(1, "--antialias", min=0, max=4, help="PyMOL antialias level."),
    lazy: bool = typer.Option(False, "--lazy", help="Plan items only; render images when first used."),
    split: str = typer.Option(
        None, "--split", help="paper: the paper's protocol, a train/test split with its item counts."
    ),
    train_ids: Path = typer.Option(None, "--train-ids", help="With --split: train complex ids, one a line."),
    test_ids: Path = typer.Option(None, "--test-ids", help="With --split: test complex ids, one a line."),
    executor: str = typer.Option(
        "pool", "--executor", help="Where images are rendered: pool (local processes) or ray."
    ),
    address: str = typer.Option(
        None, "--address", help="Ray cluster address for --executor ray (default: start a local one)."
    ),
) -> None:
    """Build MiSI-style items for all nine tasks, or SciVideoBench-style video items, from real complexes."""
    if bench not in {"misi", "scivideo"}:
        raise UsageProblem(f"unknown benchmark '{bench}' for build (valid: misi, scivideo)")
    existing_dir(complexes, "--complexes")
    if executor not in {"pool", "ray"}:
        raise UsageProblem(f"unknown executor '{executor}' (valid: pool, ray)")
    if address and executor != "ray":
        raise UsageProblem("--address needs --executor ray")
    if bench == "scivideo":
        _build_videos(out, complexes, seed, workers, size)
        return
    from eval.misi.build.builder import ALL_TASKS, BuildConfig

    engine: Executor = "ray" if executor == "ray" else "pool"
    config = BuildConfig(
        complexes=complexes,
        out=out,
        per_task=per_task or 2,
        seed=seed,
        tasks=check_tasks(tasks, ALL_TASKS) or list(ALL_TASKS),
        workers=workers,
        image_size=size,
        antialias=antialias,
        render=not lazy,
        executor=engine,
        address=address,
    )
    if split is not None or train_ids or test_ids:
        _build_protocol(config, split, per_task, train_ids, test_ids)
    else:
        _build_misi(config)


def _build_misi(config: BuildConfig) -> None:
    from agent.cli.bench_protocol import fail_if_empty, print_skipped
    from eval.misi.build.builder import build

    start = time.perf_counter()
    with BuildProgress() as progress:
        summary = build(config, progress)
    elapsed = time.perf_counter() - start
    table = Table(title="MiSI-style benchmark")
    table.add_column("task")
    table.add_column("items", justify="right")
    table.add_column("skipped", justify="right")
    for task in config.tasks:
        table.add_row(task, str(summary.items.get(task, 0)), str(len(summary.skipped_items.get(task, []))))
    console.print(table)
    console.print(f"built in {config.out}", soft_wrap=True, highlight=False)
    console.print(
        f"{sum(summary.items.values())} items, {summary.images} images ({summary.rendered} rendered now) "
        f"in {elapsed:.1f} s with {config.workers} worker(s)"
    )
    print_repairs(summary)
    print_skipped(console, summary)
    fail_if_empty(sum(summary.items.values()), [summary], str(config.complexes))


def print_repairs(summary: BuildSummary) -> None:
    """One line per complex whose files needed repairs to load (duplicate atoms, restarted chains, …)."""
    for pdb_id, repairs in summary.repairs.items():
        if repairs.any():
            line = f"repaired {pdb_id}: {repairs.describe()}"
            console.print(line, soft_wrap=True, highlight=False, markup=False)


def _build_protocol(
    config: BuildConfig,
    split: str | None,
    per_task: int | None,
    train_ids: Path | None,
    test_ids: Path | None,
) -> None:
    """`--split paper`: a train and a test benchmark under OUT, with the paper's item counts."""
    from agent.cli.bench_protocol import fail_if_empty, print_protocol
    from eval.misi.build.paper import SplitBuildConfig, build_protocol
    from eval.misi.build.split import read_ids

    if split != "paper":
        raise UsageProblem(f"unknown --split '{split or ''}' (valid: paper; --train-ids/--test-ids need it)")
    if per_task is not None:
        raise UsageProblem("--per-task does not apply to --split paper: the protocol sets the counts")
    protocol = SplitBuildConfig(
        config,
        train_ids=read_ids(train_ids) if train_ids else None,
        test_ids=read_ids(test_ids) if test_ids else None,
    )
    start = time.perf_counter()
    with BuildProgress() as progress:
        result = build_protocol(protocol, progress)
    print_protocol(console, result)
    console.print(
        f"built in {config.out} (train/ and test/) in {time.perf_counter() - start:.1f} s "
        f"with {config.workers} worker(s)",
        soft_wrap=True,
        highlight=False,
    )
    fail_if_empty(result.total_items, list(result.splits.values()), str(config.complexes))


app.command("import")(bench_release.import_cmd)
app.command("inspect-release")(bench_release.inspect_cmd)


@app.command("list")
def list_cmd(
    task: list[str] = typer.Option(None, "--task", help="Only these tasks (T1…T9; SciVideoBench: types)."),
    bench_name: str = typer.Option("misi", "--bench", help="misi | scivideo (or any registered benchmark)."),
    bench_dir: Path = BenchDir,
) -> None:
    """Print item ids, one per line."""
    from eval.registry import open_benchmark

    with slow(make_console(stderr=True), f"opening the {bench_name} benchmark (planned on first use)"):
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
    console.print(item.prompt)
    console.rule("images")
    for i, im in enumerate(item.images, start=1):
        say(console, f"{i:>2}. {bench.root / im.path}  ", (f"({im.role})", "dim"))
    if item.video is not None:
        console.rule("video")
        say(console, str(bench.root / item.video.path))
    if item.options:
        console.rule("options")
        for letter, text in item.options.items():
            say(console, f"{letter}: {text}")
    console.rule("gold")
    say(console, str(item.gold))


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
