"""`agent tools list | call`: the model's tools, from the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from agent.cli.errors import UsageProblem
from agent.cli.options import BenchDir, BenchName, bench_for_item

app = typer.Typer(help="List the agent's tools or run one on an item.", no_args_is_help=True)
console = Console(highlight=False)


@app.command("list")
def list_cmd(
    as_json: bool = typer.Option(False, "--json", help="Print the OpenAI tool schemas as JSON."),
) -> None:
    """Names, descriptions and argument schemas of every tool."""
    from agent.toolset import all_tools

    tools = all_tools()
    if as_json:
        typer.echo(json.dumps([t.openai_schema() for t in tools], indent=1))
        return
    for t in tools:
        needs = " [structure access]" if t.needs_structure else ""
        console.rule(f"{t.name}{needs}")
        console.print(t.description, markup=False)
        console.print_json(json.dumps(t.parameters_schema()))


@app.command("call")
def call_cmd(
    name: str = typer.Argument(..., help="Tool name (see `agent tools list`)."),
    item_id: str = typer.Option(..., "--item", help="Item whose images and structure the tool uses."),
    args: str = typer.Option("{}", "--args", help="Arguments as a JSON object."),
    access: str = typer.Option("structure", "--access", help="images | structure."),
    out: Path = typer.Option(Path("runs/tools"), "--out", help="Where produced images are written."),
    bench: str = BenchName,
    bench_dir: Path = BenchDir,
) -> int:
    """Run one tool on an item and print its result (produced images are saved; their paths printed)."""
    from agent.toolset import all_tools
    from tools.base import ACCESS, ToolContext

    tools = {t.name: t for t in all_tools()}
    if name not in tools:
        raise UsageProblem(f"unknown tool '{name}' (valid: {', '.join(tools)})")
    chosen = next((a for a in ACCESS if a == access), None)
    if chosen is None:
        raise UsageProblem(f"unknown access '{access}' (valid: {', '.join(ACCESS)})")
    try:
        parsed = json.loads(args)
    except json.JSONDecodeError as exc:
        raise UsageProblem(f"--args is not valid JSON ({exc.msg} at character {exc.pos})") from None
    benchmark = bench_for_item(item_id, bench, bench_dir)
    item = benchmark.item(item_id)
    benchmark.ensure_images(item)
    ctx = ToolContext(item=item.view(), bench_dir=benchmark.root, workdir=out / item.id, access=chosen)
    result = tools[name].run(ctx, parsed)
    if result.ok:
        console.print_json(result.text)
    else:
        console.print(f"[red]tool error[/] {result.text}", soft_wrap=True)
    for path in result.images:
        console.print(f"image: {path}", soft_wrap=True)
    console.print(f"[dim]{result.seconds:.3f} s, access {result.access}[/]")
    return 0 if result.ok else 1
