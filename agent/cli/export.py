"""`agent export inspect RUN [--out DIR]`: a run as Inspect AI logs, one `.eval` file per mode."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from agent.cli.errors import UsageProblem
from agent.toolset import all_tools

app = typer.Typer(help="Export runs into other tools' formats.", no_args_is_help=True)
console = Console(highlight=False)


@app.command("inspect")
def inspect_logs(
    run: Path = typer.Argument(..., help="A run directory written by `agent run`."),
    out: Path | None = typer.Option(None, "--out", help="Directory for the logs (default: RUN/inspect)."),
) -> None:
    """One Inspect log per mode: prompts and images, every model and tool event, answers, scores, usage.
    Open them with `inspect view --log-dir DIR`."""
    try:
        from eval.export.inspect_log import ExportError, export_run
    except ImportError as exc:
        raise UsageProblem(
            f"agent export inspect needs inspect_ai ({exc.name or exc}): "
            "pip install 'molspatial-agent[inspect]'"
        ) from None
    schemas = {tool.name: tool.openai_schema() for tool in all_tools()}
    try:
        written = export_run(run, out, tool_schemas=schemas)
    except ExportError as exc:
        raise UsageProblem(str(exc)) from None
    for log in written:
        extra = []
        if log.missing_traces:
            extra.append(f"{len(log.missing_traces)} without a readable trace (result line only)")
        if log.missing_images:
            extra.append(f"{log.missing_images} image references whose file is gone")
        note = f" ({'; '.join(extra)})" if extra else ""
        console.print(f"{log.mode}: {log.samples} samples → {escape(log.path)}{escape(note)}", soft_wrap=True)
    console.print(f"view: inspect view --log-dir {escape(str(Path(written[0].path).parent))}", soft_wrap=True)
