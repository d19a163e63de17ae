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

from agent.cli import model_options as mo
from agent.cli.console import make_console, say, slow
from agent.cli.errors import UsageProblem, validation_problem
from agent.cli.options import split_list

console = make_console(stderr=True)
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
        with slow(console, "opening the run's benchmark"):
            session = api.reopen(resume, concurrency)
        return _execute(session)
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
    from agent.model_choice import default_note

    note = default_note(model, base_url, api_key_env)
    if note:
        say(console, note)
    with slow(console, f"opening the {bench} benchmark (the bundled one is planned on first use)"):
        session = api.prepare(config)
    return _execute(session)


def _execute(session) -> int:  # session: agent.api.RunSession
    from agent.cli.run_progress import RunProgress, summary_table

    manifest, root = session.manifest, session.target.root
    for bad in session.bad_lines:  # an item whose only line is unreadable counts as not done: it runs again
        say(console, ("warning", "yellow"), f": left out {bad}")
    recorded = "" if session.concurrency == manifest.concurrency else f" (the run's: {manifest.concurrency})"
    say(
        console,
        f"run {root} · {manifest.benchmark} · {session.solver.name} · modes {','.join(manifest.modes)} · "
        f"access {manifest.access} · {len(manifest.item_ids)} items · {len(session.jobs)} to do · "
        f"concurrency {session.concurrency}{recorded}",
    )
    with RunProgress(console, session.totals, session.done) as progress:
        outcome = session.run(progress, sys.argv[1:])
    console.print(summary_table(outcome.tallies, f"{root}"))
    if outcome.interrupted:
        say(console, f"interrupted: continue with `agent run --resume {root}`")
    elif outcome.errors or outcome.missing:
        say(console, f"{outcome.errors} item(s) errored; rerun them with `agent run --resume {root}`")
    else:
        say(console, f"report: agent report {root}")
    return outcome.exit_code
