"""`agent report RUN [RUN ...]`: per-task tables in the papers' columns and paired comparisons of arms."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from agent.cli.errors import UsageProblem
from agent.cli.options import split_list

FORMATS = ("table", "markdown", "csv", "json")  # eval.report.render renders each

console = Console(highlight=False)


def report(
    runs: list[Path] = typer.Argument(..., help="Run directories written by `agent run`."),
    fmt: str = typer.Option("table", "--format", help="table | markdown | csv | json."),
    out: Path | None = typer.Option(None, "--out", help="Write the report to this file instead of stdout."),
    modes: list[str] | None = typer.Option(
        None, "--mode", help="Only these modes (repeat, or comma-separate: --mode direct,tools)."
    ),
    resamples: int = typer.Option(2000, "--resamples", min=100, help="Bootstrap resamples for the CIs."),
    seed: int = typer.Option(0, "--seed", help="Bootstrap seed (the same seed gives the same CIs)."),
) -> None:
    """Per-arm tables (arm = run x mode) beside published rows, and B vs A paired comparisons."""
    from eval.report import ReportInputError, render, report_runs, rich_renderables
    from tools.atomic import write_atomic

    if fmt not in FORMATS:
        raise UsageProblem(f"unknown format '{fmt}' (valid: {', '.join(FORMATS)})")
    if out is not None and out.is_dir():
        raise UsageProblem(f"--out {out}: is a directory (give a file name)")
    try:
        result = report_runs(runs, split_list(modes) or None, resamples=resamples, seed=seed)
    except ReportInputError as exc:
        raise UsageProblem(str(exc)) from exc
    if out is not None:
        write_atomic(out, render(result, fmt))
        console.print(f"report: {out}", soft_wrap=True)
    elif fmt == "table":
        console.print(rich_renderables(result))
    else:
        typer.echo(render(result, fmt), nl=False)
