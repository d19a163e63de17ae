"""`agent solve --item ID`: watch one item solved step by step; the trace is written as JSON.

Ids starting with `scivideo-` (or any id with --data) come from SciVideoBench: the release in --data, or
the bundled local video items without it.
"""

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
from agent.settings import MODES, PROTOCOLS, SolveSettings
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
    data: Path = typer.Option(
        None, "--data", help="SciVideoBench: a release dir (or its jsonl); default: the bundled video items."
    ),
    protocol: str = typer.Option("default", "--protocol", help="SciVideoBench: default | official."),
    frames: int = typer.Option(
        32,
        "--frames",
        min=0,
        max=256,
        help="SciVideoBench: frames sent with the question (32: the project's choice; the task sets none).",
    ),
) -> int:
    """Solve one item, streaming model text, tool calls and results, then the score."""
    if mode not in MODES:
        raise UsageProblem(f"unknown mode '{mode}' (valid: {', '.join(MODES)})")
    if access not in {"images", "structure"}:
        raise UsageProblem(f"unknown access '{access}' (valid: images, structure)")
    if protocol not in PROTOCOLS:
        raise UsageProblem(f"unknown protocol '{protocol}' (valid: {', '.join(PROTOCOLS)})")
    if data is not None and not data.exists():
        raise UsageProblem(f"--data {data}: no such file or directory")
    if data is not None or item_id.startswith("scivideo-"):
        from eval.scivideo import open_scivideo  # decodes video: loaded only when asked for

        bench = open_scivideo(data)
    else:
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
    settings = SolveSettings(
        mode=mode,  # type: ignore[arg-type]
        access=access,  # type: ignore[arg-type]
        max_turns=max_turns,
        protocol=protocol,  # type: ignore[arg-type]
        frames=frames,
    )
    console.rule(f"{item.id} · {item.task} {item.task_name} · {mode} · {client.name} · access {access}")
    console.print(item.prompt, markup=False)
    for i, im in enumerate(item.images, start=1):
        console.print(f"[dim]image {i}: {bench.root / im.path} ({im.role})[/]", soft_wrap=True)
    if item.video is not None:
        console.print(f"[dim]video: {bench.root / item.video.path} · protocol {protocol}[/]", soft_wrap=True)
    console.rule("steps")
    trace = asyncio.run(solve_item(item, bench, client, settings, out, lambda s: print_step(console, s)))
    print_verdict(console, trace)
    arm = mode if protocol == "default" else f"{mode}.{protocol}"
    path = out / f"{item.id}.{arm}.{client.name.replace(':', '-').replace('/', '_')}.json"
    write_trace(trace, path)
    console.print(f"trace: {path}", soft_wrap=True)
    return 1 if trace.error else 0
