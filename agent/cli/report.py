"""`agent report RUN [RUN ...]`: per-task tables in the papers' columns and paired comparisons of arms."""

from __future__ import annotations

from pathlib import Path

import typer

from agent.cli.console import make_console, say
from agent.cli.errors import UsageProblem
from agent.cli.options import split_list

FORMATS = ("table", "markdown", "csv", "json")  # eval.report.render renders each


def report(
    runs: list[Path] = typer.Argument(..., help="Run directories written by `agent run`."),
    fmt: str = typer.Option("table", "--format", help="table | markdown | csv | json."),
    out: Path | None = typer.Option(None, "--out", help="Write the report to this file instead of stdout."),
    modes: list[str] | None = typer.Option(
        None, "--mode", help="Only these modes (repeat, or comma-separate: --mode direct,tools)."
    ),
    resamples: int = typer.Option(2000, "--resamples", min=100, help="Bootstrap resamples for the CIs."),
    seed: int = typer.Option(0, "--seed", help="Bootstrap seed (the same seed gives the same CIs)."),
    plot: Path | None = typer.Option(
        None, "--plot", help="Also write figures (scores, flips, reasoning) as PNG and SVG into this dir."
    ),
    skip_bad_lines: bool = typer.Option(
        False, "--skip-bad-lines", help="Leave out unreadable lines of results.jsonl (each is named)."
    ),
) -> None:
    """Per-arm tables (arm = run x mode) beside published rows, and B vs A paired comparisons."""
    from eval.report import ReportInputError, render, rich_renderables
    from eval.report.build import load_report
    from tools.atomic import write_atomic

    if fmt not in FORMATS:
        raise UsageProblem(f"unknown format '{fmt}' (valid: {', '.join(FORMATS)})")
    if out is not None and out.is_dir():
        raise UsageProblem(f"--out {out}: is a directory (give a file name)")
    if out is not None and not out.parent.is_dir():  # never create folders the user did not ask for
        raise UsageProblem(f"--out {out}: folder {out.parent} does not exist")
    if plot is not None and plot.exists() and not plot.is_dir():
        raise UsageProblem(f"--plot {plot}: exists and is not a directory")
    try:
        arms, result = load_report(
            runs, split_list(modes) or None, resamples=resamples, seed=seed, skip_bad_lines=skip_bad_lines
        )
    except ReportInputError as exc:
        raise UsageProblem(str(exc)) from exc
    console = make_console()
    for bad in result.skipped_lines:
        say(make_console(stderr=True), ("warning", "yellow"), f": left out {bad}")
    if plot is not None:
        try:
            from eval.report.plots import write_plots
        except ImportError as exc:
            raise UsageProblem(
                f"--plot needs matplotlib ({exc.name or exc}): pip install 'molspatial-agent[plots]'"
            ) from None
        figures = write_plots(arms, result, plot)
        say(make_console(stderr=True), f"figures: {', '.join(str(p) for p in figures)}")
    if out is not None:
        write_atomic(out, render(result, fmt))
        say(console, f"report: {out}")
    elif fmt == "table":
        console.print(rich_renderables(result, console.width))
    else:
        typer.echo(render(result, fmt), nl=False)
