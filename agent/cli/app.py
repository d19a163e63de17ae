"""The top-level typer app; each command group lives in its own module."""

from __future__ import annotations

import typer

from agent.cli import bench, export, report, run, score, solve, tools_cmd, trace_cmd

app = typer.Typer(
    name="agent",
    help="Vision-language models with chemistry tools on MiSI-Bench and SciVideoBench: build, solve, score.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(bench.app, name="bench")
app.add_typer(tools_cmd.app, name="tools")
app.command("score")(score.score)
app.command("solve")(solve.solve)
app.command("run")(run.run)
app.command("report")(report.report)
app.add_typer(trace_cmd.app, name="trace")
app.add_typer(export.app, name="export")
