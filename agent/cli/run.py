"""`agent run`: a whole benchmark in batch, in one or more modes, crash-safe and resumable.

agent run --bench misi --tiny --mode direct,cot,tools --model gpt-5-mini
agent run --resume runs/20261122-101500-misi-gpt-5-mini     # reruns only missing or errored items
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
import uuid
from pathlib import Path

import typer

from agent.cli import model_options as mo
from agent.cli.console import make_console, say, slow
from agent.cli.errors import UsageProblem
from agent.cli.options import check_tasks, split_list
from agent.cli.run_progress import RunProgress, Tally, summary_table
from agent.model_choice import default_note, make_model
from agent.settings import MODES, SolveSettings
from eval.benchmarks import BENCHMARKS, open_named
from eval.run.manifest import RunManifest, Session
from eval.run.plan import pending_jobs
from eval.run.provenance import git_revision, package_versions, platform_line
from eval.run.results import BadLine
from eval.run.rundir import RunDir
from eval.run.runner import execute
from eval.run.selection import TINY_PER_TASK, TINY_SEED, select_items

console = make_console(stderr=True)
# Options that define a run; with --resume they come from the manifest and may not be given again.
_CONFIG_OPTIONS = (
    "bench", "data", "tasks", "tiny", "limit", "items_file", "mode", "model", "base_url", "api_key_env",
    "access", "max_turns", "timeout", "max_retries", "tool_protocol", "protocol", "frames", "max_tokens",
)  # fmt: skip


DEFAULT_CONCURRENCY = 4


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-")[:60]


def _modes(values: list[str]) -> list[str]:
    modes = split_list(values)
    unknown = [m for m in modes if m not in MODES]
    if unknown or not modes:
        raise UsageProblem(f"unknown mode {', '.join(unknown) or '(none)'} (valid: {', '.join(MODES)})")
    return list(dict.fromkeys(modes))


def run(
    ctx: typer.Context,
    bench: str = typer.Option("misi", "--bench", help="misi | scivideo."),
    data: Path = typer.Option(
        None,
        "--data",
        "--bench-dir",
        help="A built MiSI benchmark dir or a SciVideoBench release dir (default: the bundled items).",
    ),
    tasks: list[str] = typer.Option(None, "--tasks", help="Tasks to run, e.g. T1,T2 (default: all)."),
    tiny: bool = typer.Option(False, "--tiny", help=f"{TINY_PER_TASK} items per task, seed {TINY_SEED}."),
    limit: int = typer.Option(None, "--limit", min=1, help="At most N items, taken in turn from each task."),
    items_file: Path = typer.Option(None, "--items", help="A file of item ids, one per line."),
    mode: list[str] = typer.Option(["tools"], "--mode", help="Modes to run: direct,cot,tools."),
    model: str = mo.Model,
    base_url: str = mo.BaseUrl,
    api_key_env: str = mo.ApiKeyEnv,
    access: str = mo.Access,
    max_turns: int = mo.MaxTurns,
    timeout: float = mo.Timeout,
    max_retries: int = mo.Retries,
    tool_protocol: str = mo.ToolProtocol,
    protocol: str = typer.Option("default", "--protocol", help="SciVideoBench: default | official."),
    frames: int = typer.Option(32, "--frames", min=1, help="SciVideoBench: frames sampled per video."),
    max_tokens: int = typer.Option(None, "--max-tokens", min=1, help="Completion tokens per model call."),
    concurrency: int = typer.Option(
        None, "--concurrency", min=1, help="Items solved at the same time (default 4; --resume: the run's)."
    ),
    run_dir: Path = typer.Option(
        None, "--run-dir", help="Where results go (default: runs/<time>-<bench>-<model>)."
    ),
    resume: Path = typer.Option(
        None, "--resume", help="Finish an earlier run: only missing or errored items."
    ),
) -> int:
    """Run a benchmark in batch: results appended per item, one trace per item, a manifest of the run."""
    if resume is not None:
        sources = {n: ctx.get_parameter_source(n) for n in _CONFIG_OPTIONS}
        given = [n for n, src in sources.items() if src is not None and src.name != "DEFAULT"]
        if given or run_dir is not None:
            names = ", ".join("--" + n.replace("_", "-") for n in given + (["run_dir"] if run_dir else []))
            raise UsageProblem(f"--resume uses the run's own configuration; drop {names}")
        return _resume(RunDir(resume), concurrency)
    if bench not in BENCHMARKS:
        raise UsageProblem(f"unknown benchmark '{bench}' (valid: {', '.join(BENCHMARKS)})")
    if access not in {"images", "structure"}:
        raise UsageProblem(f"unknown access '{access}' (valid: images, structure)")
    if protocol not in {"default", "official"}:
        raise UsageProblem(f"unknown protocol '{protocol}' (valid: default, official)")
    if data is not None and not data.exists():
        raise UsageProblem(f"--data {data}: no such file or directory")
    if tiny and items_file is not None:
        raise UsageProblem("--tiny and --items choose items in different ways; give one")
    modes = _modes(mode)
    note = default_note(model, base_url, api_key_env)
    if note:
        say(console, note)
    client = make_model(
        model, base_url=base_url, api_key_env=api_key_env, timeout=timeout, max_retries=max_retries,
        tool_protocol=tool_protocol,
    )  # fmt: skip
    with slow(console, f"opening the {bench} benchmark (the bundled one is planned on first use)"):
        benchmark = open_named(bench, data)
    if bench == "misi":
        chosen_tasks = check_tasks(tasks, benchmark.tasks)
    else:  # SciVideoBench question types: conceptual, hypothetical, quantitative
        chosen_tasks = [t.lower() for t in split_list(tasks)]
        unknown = [t for t in chosen_tasks if t not in benchmark.tasks]
        if unknown:
            raise UsageProblem(f"unknown task {', '.join(unknown)} (valid: {', '.join(benchmark.tasks)})")
    item_ids = select_items(benchmark, chosen_tasks, tiny_set=tiny, limit=limit, items_file=items_file)
    if not item_ids:
        raise UsageProblem("no items selected (check --tasks, --limit and --items)")
    settings = SolveSettings(
        access=access,
        max_turns=max_turns,
        protocol=protocol,
        frames=frames,
        max_tokens=max_tokens,  # type: ignore[arg-type]
    )
    stamp = time.strftime("%Y%m%d-%H%M%S")
    root = run_dir or Path("runs") / f"{stamp}-{bench}-{_slug(client.name)}-{uuid.uuid4().hex[:4]}"
    target = RunDir(root)
    if target.is_run() or target.results_path.exists():
        raise UsageProblem(
            f"--run-dir {root} already holds a run; continue it with `agent run --resume {root}`"
        )
    target.lock()
    manifest = RunManifest(
        run_id=root.name,
        benchmark=bench,
        bench_dir=str(Path(benchmark.root).resolve()),
        data_arg=str(data.resolve()) if data else None,
        model=client.name,
        base_url=base_url,
        api_key_env=api_key_env,
        modes=modes,
        access=access,
        protocol=protocol,
        tasks=chosen_tasks,
        selection={
            "tiny": tiny,
            "tiny_per_task": TINY_PER_TASK if tiny else None,
            "tiny_seed": TINY_SEED if tiny else None,
            "limit": limit,
            "items_file": str(items_file) if items_file else None,
        },
        item_ids=item_ids,
        settings=settings.model_dump(exclude={"mode"}),
        client={"timeout": timeout, "max_retries": max_retries, "tool_protocol": tool_protocol},
        versions=package_versions(),
        git_rev=git_revision(),
        platform=platform_line(),
        started_at=time.time(),
    )
    manifest.concurrency = concurrency or DEFAULT_CONCURRENCY
    target.write_manifest(manifest)
    return _execute(target, manifest, benchmark, client, manifest.concurrency)


def _resume(target: RunDir, concurrency: int | None) -> int:
    manifest = target.read_manifest()
    target.lock()
    data = Path(manifest.bench_dir)
    if not data.is_dir():
        data = Path(manifest.data_arg) if manifest.data_arg else None  # the bundled set was rebuilt
    client = make_model(
        manifest.model, base_url=manifest.base_url, api_key_env=manifest.api_key_env or "OPENAI_API_KEY",
        **manifest.client,
    )  # fmt: skip
    with slow(console, f"opening the {manifest.benchmark} benchmark"):
        benchmark = open_named(manifest.benchmark, data)
    # The run's recorded concurrency, unless given: each session records what it used.
    return _execute(target, manifest, benchmark, client, concurrency or manifest.concurrency)


def _execute(target: RunDir, manifest: RunManifest, benchmark, client, concurrency: int) -> int:
    bad: list[BadLine] = []
    results = target.results(bad)
    for line in bad:  # an item whose only line is unreadable counts as not done: it runs again
        say(console, ("warning", "yellow"), f": left out {line}")
    jobs = pending_jobs(manifest, results)
    totals = {m: len(manifest.item_ids) for m in manifest.modes}
    done = {
        m: sum(1 for (mm, _), r in results.items() if mm == m and r.status != "error") for m in manifest.modes
    }
    session = Session(started_at=time.time(), argv=sys.argv[1:], attempted=len(jobs), concurrency=concurrency)
    manifest.sessions.append(session)
    target.write_manifest(manifest)
    recorded = "" if concurrency == manifest.concurrency else f" (the run's: {manifest.concurrency})"
    say(
        console,
        f"run {target.root} · {manifest.benchmark} · {client.name} · modes {','.join(manifest.modes)} · "
        f"access {manifest.access} · {len(manifest.item_ids)} items · {len(jobs)} to do · "
        f"concurrency {concurrency}{recorded}",
    )
    base = SolveSettings.model_validate(manifest.settings)

    def settings_for(mode: str) -> SolveSettings:
        return base.model_copy(update={"mode": mode})

    interrupted = False
    try:
        with RunProgress(console, totals, done) as progress:
            used = asyncio.run(
                execute(
                    jobs, bench=benchmark, model=client, settings_for=settings_for, run=target,
                    concurrency=concurrency, events=progress,
                )
            )  # fmt: skip
        manifest.prompt_hashes.update(used)
    except KeyboardInterrupt:
        interrupted = True
    final = target.results()
    tallies: dict[str, Tally] = {m: Tally() for m in manifest.modes}
    for (mode, _), line in final.items():
        if mode in tallies:
            tallies[mode].add(line)
    session.finished_at = time.time()
    session.completed = sum(1 for line in final.values() if line.finished_at >= session.started_at)
    session.errors = sum(1 for line in final.values() if line.status == "error")
    session.interrupted = interrupted
    missing = len(manifest.item_ids) * len(manifest.modes) - sum(t.n for t in tallies.values())
    if not interrupted and missing == 0:
        manifest.finished_at = session.finished_at
    target.write_manifest(manifest)
    target.unlock()
    console.print(summary_table(tallies, f"{target.root}"))
    if interrupted:
        say(console, f"interrupted: continue with `agent run --resume {target.root}`")
        return 130
    errors = sum(t.errors for t in tallies.values())
    if errors:
        say(console, f"{errors} item(s) errored; rerun them with `agent run --resume {target.root}`")
        return 1
    say(console, f"report: agent report {target.root}")
    return 0
