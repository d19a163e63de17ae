"""`agent run`: a whole benchmark in batch, in one or more modes, crash-safe and resumable.

agent run --bench misi --tiny --mode direct,cot,tools --model gpt-5-mini
agent run --resume runs/20261122-101500-misi-gpt-5-mini     # reruns only missing or errored items

A thin shell over agent.api: options become a RunConfig; the live progress view is the only addition.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console

from agent.cli import model_options as mo
from agent.cli.errors import UsageProblem, validation_problem
from agent.cli.options import split_list

console = Console(stderr=True, highlight=False)
# Options that define a run; with --resume they come from the manifest and may not be given again.
_CONFIG_OPTIONS = (
    "bench", "data", "tasks", "tiny", "limit", "items_file", "mode", "model", "base_url", "api_key_env",
    "access", "max_turns", "timeout", "max_retries", "tool_protocol", "protocol", "frames", "max_tokens",
)  # fmt: skip


def run(
    ctx: typer.Context,
    bench: str = typer.Option("misi", "--bench", help="misi | scivideo (or any registered benchmark)."),
    data: Path = typer.Option(
        None,
        "--data",
        "--bench-dir",
        help="A built MiSI benchmark dir or a SciVideoBench release dir (default: the bundled items).",
    ),
    tasks: list[str] = typer.Option(None, "--tasks", help="Tasks to run, e.g. T1,T2 (default: all)."),
    tiny: bool = typer.Option(False, "--tiny", help="50 items per task, seed 20251211 (MiSI-Bench tiny)."),
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
    frames: int = typer.Option(
        32, "--frames", min=1, help="SciVideoBench: frames sampled per video (32 is this project's default)."
    ),
    max_tokens: int = typer.Option(None, "--max-tokens", min=1, help="Completion tokens per model call."),
    concurrency: int = typer.Option(
        None, "--concurrency", min=1, help="Items solved at the same time (default 4; a resume: the run's)."
    ),
    run_dir: Path = typer.Option(
        None, "--run-dir", help="Where results go (default: runs/<time>-<bench>-<model>)."
    ),
    resume: Path = typer.Option(
        None, "--resume", help="Finish an earlier run: only missing or errored items."
    ),
) -> int:
    """Run a benchmark in batch: results appended per item, one trace per item, a manifest of the run."""
    from agent import api

    if resume is not None:
        sources = {n: ctx.get_parameter_source(n) for n in _CONFIG_OPTIONS}
        given = [n for n, src in sources.items() if src is not None and src.name != "DEFAULT"]
        if given or run_dir is not None:
            names = ", ".join("--" + n.replace("_", "-") for n in given + (["run_dir"] if run_dir else []))
            raise UsageProblem(f"--resume uses the run's own configuration; drop {names}")
        return _execute(api.reopen(resume, concurrency))
    try:
        config = api.RunConfig.model_validate(
            {
                "bench": bench, "data": data, "tasks": split_list(tasks), "tiny": tiny, "limit": limit,
                "items_file": items_file, "modes": split_list(mode), "access": access,
                "max_turns": max_turns, "protocol": protocol, "frames": frames, "max_tokens": max_tokens,
                "concurrency": concurrency or 4, "run_dir": run_dir,
                "model": {
                    "name": model, "base_url": base_url, "api_key_env": api_key_env, "timeout": timeout,
                    "max_retries": max_retries, "tool_protocol": tool_protocol,
                },
            }
        )  # fmt: skip
    except ValidationError as exc:
        raise validation_problem(exc) from None
    return _execute(api.prepare(config))


def _execute(session) -> int:  # session: agent.api.RunSession
    from agent.cli.run_progress import RunProgress, summary_table

    manifest, root = session.manifest, session.target.root
    console.print(
        f"run {root} · {manifest.benchmark} · {session.solver.name} · modes {','.join(manifest.modes)} · "
        f"access {manifest.access} · {len(manifest.item_ids)} items · {len(session.jobs)} to do · "
        f"concurrency {session.concurrency}",
        soft_wrap=True,
        markup=False,
    )
    with RunProgress(console, session.totals, session.done) as progress:
        outcome = session.run(progress, sys.argv[1:])
    console.print(summary_table(outcome.tallies, f"{root}"))
    if outcome.interrupted:
        console.print(f"interrupted: continue with `agent run --resume {root}`", soft_wrap=True, markup=False)
    elif outcome.errors or outcome.missing:
        console.print(
            f"{outcome.errors} item(s) errored; rerun them with `agent run --resume {root}`",
            soft_wrap=True,
            markup=False,
        )
    else:
        console.print(f"report: agent report {root}", soft_wrap=True, markup=False)
    return outcome.exit_code
