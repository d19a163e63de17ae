"""The live view of a batch run: one progress bar per mode with rate, ETA, running score and errors."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from eval.run.results import ResultLine
from eval.run.runner import Job
from eval.run.tally import Tally


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("  – /s" if speed is None else f"{speed:4.2f}/s", style="cyan")


class RunProgress:
    """Implements eval.run.runner.Events on top of rich."""

    def __init__(self, console: Console, totals: dict[str, int], done: dict[str, int]) -> None:
        self.console = console
        self.tallies: dict[str, Tally] = defaultdict(Tally)
        self.progress = Progress(
            TextColumn("[bold]{task.description:>7}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn(
                "score {task.fields[fields][score]}  exact {task.fields[fields][exact]}  "
                "errors {task.fields[fields][errors]}"
            ),
            console=console,
        )
        self.tasks: dict[str, TaskID] = {
            mode: self.progress.add_task(
                mode, total=totals[mode], completed=done.get(mode, 0), fields=Tally().fields()
            )
            for mode in totals
        }

    def __enter__(self) -> RunProgress:
        self.progress.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.progress.stop()

    def started(self, job: Job) -> None:
        pass

    def finished(self, line: ResultLine) -> None:
        tally = self.tallies[line.mode]
        tally.add(line)
        self.progress.update(self.tasks[line.mode], advance=1, fields=tally.fields())
        if line.status == "error":
            self.progress.console.print(
                f"[red]error[/] {line.mode} {line.item_id}: {line.error}", markup=True
            )


def summary_table(tallies: dict[str, Tally], title: str) -> Table:
    table = Table(title=title)
    for name in ("mode", "items", "score %", "exact %", "unparseable", "errors", "tokens", "cost $"):
        table.add_column(name, justify="left" if name == "mode" else "right")
    for mode, t in tallies.items():
        f = t.fields()
        table.add_row(
            mode,
            str(t.n),
            f["score"],
            f["exact"],
            str(t.unparseable),
            str(t.errors),
            str(t.tokens),
            f"{t.cost:.4f}",
        )
    return table
