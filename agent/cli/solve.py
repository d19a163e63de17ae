"""`agent solve --item ID`: watch one item solved step by step; the trace is written as JSON.

The benchmark comes from --bench or the id's prefix (`scivideo-0003` is SciVideoBench); --bench-dir/--data
names a built directory or a release, and without it the benchmark's bundled items are used.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer

from agent.cli import model_options as mo
from agent.cli.console import make_console, say
from agent.cli.errors import UsageProblem, validation_problem
from agent.cli.options import BenchDir, BenchName, bench_for_item


def trace_file(out: Path, item_id: str, arm: str, access: str, model: str) -> Path:
    """`--out` ending in .json is the trace file; otherwise a folder holding one file per item, arm, access
    and model, so solving the same item another way never overwrites an earlier trace."""
    if out.suffix == ".json":
        return out
    return out / f"{item_id}.{arm}.{access}.{model.replace(':', '-').replace('/', '_')}.json"


def solve(
    item_id: str = typer.Option(..., "--item", help="Item id, e.g. misi-T1-1acj-0 (see `agent bench list`)."),
    mode: str = typer.Option("tools", "--mode", help="direct | cot | tools."),
    model: str = mo.Model,
    base_url: str = mo.BaseUrl,
    api_key_env: str = mo.ApiKeyEnv,
    access: str = mo.Access,
    max_turns: int = mo.MaxTurns,
    timeout: float = mo.Timeout,
    max_retries: int = mo.Retries,
    tool_protocol: str = mo.ToolProtocol,
    out: Path = typer.Option(
        Path("runs/solve"), "--out", help="A folder for the trace JSON, or a file name ending in .json."
    ),
    bench: str = BenchName,
    bench_dir: Path = BenchDir,
    protocol: str = typer.Option("default", "--protocol", help="SciVideoBench: default | official."),
    frames: int = typer.Option(
        32, "--frames", min=0, max=256, help="SciVideoBench: frames sent (32 is this project's default)."
    ),
) -> int:
    """Solve one item, streaming model text, tool calls and results, then the score."""
    from pydantic import ValidationError

    from agent.api import ModelConfig
    from agent.cli.show_steps import print_step, print_verdict
    from agent.model_choice import default_note, make_model
    from agent.solver import solve_item
    from eval.settings import SolveSettings
    from eval.trace import write_trace

    try:
        settings = SolveSettings.model_validate(
            {"mode": mode, "access": access, "max_turns": max_turns, "protocol": protocol, "frames": frames}
        )
        choice = ModelConfig.model_validate(
            {
                "name": model, "base_url": base_url, "api_key_env": api_key_env, "timeout": timeout,
                "max_retries": max_retries, "tool_protocol": tool_protocol,
            }
        )  # fmt: skip
    except ValidationError as exc:
        raise validation_problem(exc) from None
    if out.suffix == ".json" and out.is_dir():
        raise UsageProblem(f"--out {out}: is a directory (give a folder without .json, or a file name)")
    if out.suffix == ".json" and not out.parent.is_dir():
        raise UsageProblem(f"--out {out}: folder {out.parent} does not exist")
    console, errors = make_console(), make_console(stderr=True)
    client = make_model(  # first: a missing key is one line, before any slow opening of the benchmark
        choice.name,
        base_url=choice.base_url,
        api_key_env=choice.api_key_env,
        timeout=choice.timeout,
        max_retries=choice.max_retries,
        tool_protocol=choice.tool_protocol,
    )
    note = default_note(model, base_url, api_key_env)
    if note:
        say(errors, note)
    benchmark = bench_for_item(item_id, bench, bench_dir)
    item = benchmark.item(item_id)
    console.rule(f"{item.id} · {item.task} {item.task_name} · {mode} · {client.name} · access {access}")
    console.print(item.prompt)
    for i, im in enumerate(item.images, start=1):
        say(console, (f"image {i}: {benchmark.root / im.path} ({im.role})", "dim"))
    if item.video is not None:
        say(console, (f"video: {benchmark.root / item.video.path} · protocol {protocol}", "dim"))
    console.rule("steps")
    arm = mode if protocol == "default" else f"{mode}.{protocol}"
    path = trace_file(out, item.id, arm, access, client.name)
    workdir = path.parent if out.suffix == ".json" else out
    trace = asyncio.run(
        solve_item(item, benchmark, client, settings, workdir, lambda s: print_step(console, s))
    )
    write_trace(trace, path)  # before anything else is shown: the trace is what must not be lost
    print_verdict(console, trace)
    say(console, f"trace: {path}")
    return 1 if trace.error else 0
