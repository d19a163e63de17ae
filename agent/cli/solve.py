"""`agent solve --item ID`: watch one item solved step by step; the trace is written as JSON.

Ids starting with `scivideo-` (or any id with --data) come from SciVideoBench: the release in --data, or
the bundled local video items without it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer

from agent.cli import model_options as mo
from agent.cli.console import make_console, say, slow
from agent.cli.errors import UsageProblem
from agent.cli.options import BenchDir, existing_dir
from agent.cli.show_steps import print_step, print_verdict
from agent.model_choice import default_note, make_model
from agent.settings import MODES, PROTOCOLS, SolveSettings
from agent.solver import solve_item, write_trace
from eval.bench import open_benchmark


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
    bench_dir: Path = BenchDir,
    data: Path = typer.Option(
        None, "--data", help="SciVideoBench: a release dir (or its jsonl); default: the bundled video items."
    ),
    protocol: str = typer.Option("default", "--protocol", help="SciVideoBench: default | official."),
    frames: int = typer.Option(
        32, "--frames", min=0, max=256, help="SciVideoBench: frames sent with the question (official: 32)."
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
    errors = make_console(stderr=True)
    with slow(errors, "opening the benchmark (the bundled one is planned on first use)"):
        if data is not None or item_id.startswith("scivideo-"):
            from eval.scivideo import open_scivideo  # decodes video: loaded only when asked for

            bench = open_scivideo(data)
        else:
            bench = open_benchmark(existing_dir(bench_dir, "--bench-dir"))
    if out.suffix == ".json" and out.is_dir():
        raise UsageProblem(f"--out {out}: is a directory (give a folder without .json, or a file name)")
    if out.suffix == ".json" and not out.parent.is_dir():
        raise UsageProblem(f"--out {out}: folder {out.parent} does not exist")
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
    console = make_console()
    note = default_note(model, base_url, api_key_env)
    if note:
        say(errors, note)
    console.rule(f"{item.id} · {item.task} {item.task_name} · {mode} · {client.name} · access {access}")
    console.print(item.prompt)
    for i, im in enumerate(item.images, start=1):
        say(console, (f"image {i}: {bench.root / im.path} ({im.role})", "dim"))
    if item.video is not None:
        say(console, (f"video: {bench.root / item.video.path} · protocol {protocol}", "dim"))
    console.rule("steps")
    arm = mode if protocol == "default" else f"{mode}.{protocol}"
    path = trace_file(out, item.id, arm, access, client.name)
    workdir = path.parent if out.suffix == ".json" else out
    trace = asyncio.run(solve_item(item, bench, client, settings, workdir, lambda s: print_step(console, s)))
    write_trace(trace, path)  # before anything else is shown: the trace is what must not be lost
    print_verdict(console, trace)
    say(console, f"trace: {path}")
    return 1 if trace.error else 0
