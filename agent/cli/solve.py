"""`agent solve --item ID`: watch one item solved step by step; the trace is written as JSON."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer
from rich.console import Console

from agent.cli import model_options as mo
from agent.cli.errors import UsageProblem
from agent.cli.options import BenchDir, existing_dir
from agent.cli.show_steps import print_step, print_verdict
from agent.model_choice import make_model
from agent.settings import MODES, SolveSettings
from agent.solver import solve_item, write_trace
from eval.bench import open_benchmark

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
    bench_dir: Path = BenchDir,
) -> int:
    """Solve one item, streaming model text, tool calls and results, then the score."""
    if mode not in MODES:
        raise UsageProblem(f"unknown mode '{mode}' (valid: {', '.join(MODES)})")
    if access not in {"images", "structure"}:
        raise UsageProblem(f"unknown access '{access}' (valid: images, structure)")
    bench = open_benchmark(existing_dir(bench_dir, "--bench-dir"))
    item = bench.item(item_id)
    client = make_model(
        model,
        base_url=base_url,
        api_key_env=api_key_env,
        timeout=timeout,
        max_retries=max_retries,
        tool_protocol=tool_protocol,
    )
    settings = SolveSettings(mode=mode, access=access, max_turns=max_turns)  # type: ignore[arg-type]
    console.rule(f"{item.id} · {item.task} {item.task_name} · {mode} · {client.name} · access {access}")
    console.print(item.prompt, markup=False)
    for i, im in enumerate(item.images, start=1):
        console.print(f"[dim]image {i}: {bench.root / im.path} ({im.role})[/]", soft_wrap=True)
    console.rule("steps")
    trace = asyncio.run(solve_item(item, bench, client, settings, out, lambda s: print_step(console, s)))
    print_verdict(console, trace)
    path = out / f"{item.id}.{mode}.{client.name.replace(':', '-').replace('/', '_')}.json"
    write_trace(trace, path)
    console.print(f"trace: {path}", soft_wrap=True)
    return 1 if trace.error else 0
