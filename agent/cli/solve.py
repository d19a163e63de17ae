"""`agent solve --item ID`: watch one item solved step by step; the trace is written as JSON.

The benchmark comes from --bench or the id's prefix (`scivideo-0003` is SciVideoBench); --bench-dir/--data
names a built directory or a release, and without it the benchmark's bundled items are used.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer
from rich.console import Console

from agent.cli import model_options as mo
from agent.cli.errors import validation_problem
from agent.cli.options import BenchDir, BenchName, bench_for_item

console = Console(highlight=False)


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
    out: Path = typer.Option(Path("runs/solve"), "--out", help="Where the trace JSON is written."),
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
    from agent.model_choice import make_model
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
    benchmark = bench_for_item(item_id, bench, bench_dir)
    item = benchmark.item(item_id)
    client = make_model(
        choice.name,
        base_url=choice.base_url,
        api_key_env=choice.api_key_env,
        timeout=choice.timeout,
        max_retries=choice.max_retries,
        tool_protocol=choice.tool_protocol,
    )
    console.rule(f"{item.id} · {item.task} {item.task_name} · {mode} · {client.name} · access {access}")
    console.print(item.prompt, markup=False)
    for i, im in enumerate(item.images, start=1):
        console.print(
            f"image {i}: {benchmark.root / im.path} ({im.role})", soft_wrap=True, markup=False, style="dim"
        )
    if item.video is not None:
        where = benchmark.root / item.video.path
        console.print(f"video: {where} · protocol {protocol}", soft_wrap=True, markup=False, style="dim")
    console.rule("steps")
    trace = asyncio.run(solve_item(item, benchmark, client, settings, out, lambda s: print_step(console, s)))
    print_verdict(console, trace)
    arm = mode if protocol == "default" else f"{mode}.{protocol}"
    path = out / f"{item.id}.{arm}.{client.name.replace(':', '-').replace('/', '_')}.json"
    write_trace(trace, path)
    console.print(f"trace: {path}", soft_wrap=True, markup=False)
    return 1 if trace.error else 0
