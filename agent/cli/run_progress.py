"""The live view of a batch run: one progress bar per mode with rate, ETA, running score and errors.

On a terminal the bars redraw in place; in a pipe or a file (stderr redirected) a plain line per mode is
printed every 10 s or 10 % of the items instead, so a log shows how the run is going while it goes. Error
messages come from servers and tools and are printed verbatim (agent.cli.console).
"""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TaskID, TextColumn
from rich.table import Table
from rich.text import Text

from agent.cli.console import say
from eval.run.progress import RateWindow, Ticker, clock_text
from eval.run.results import ResultLine
from eval.run.runner import Job
from eval.run.tally import Tally


def rate_text(window: RateWindow, remaining: int) -> str:
    rate = window.rate()
    return f"{'–' if rate is None else f'{rate:.2f}'}/s ETA {clock_text(window.eta(remaining))}"


class _RateColumn(ProgressColumn):
    def __init__(self, windows: dict[TaskID, RateWindow]) -> None:
        super().__init__()
        self.windows = windows

    def render(self, task: Task) -> Text:
        remaining = int((task.total or 0) - task.completed)
        return Text(rate_text(self.windows[task.id], remaining), style="cyan")


class RunProgress:
    """Implements eval.run.runner.Events on top of rich (a terminal) or plain lines (anything else)."""

    def __init__(self, console: Console, totals: dict[str, int], done: dict[str, int]) -> None:
        self.console = console
        self.live = console.is_terminal
        self.tallies: dict[str, Tally] = defaultdict(Tally)
        self.totals, self.done = dict(totals), {m: done.get(m, 0) for m in totals}
        self.windows: dict[TaskID, RateWindow] = {}
        self.progress = Progress(
            TextColumn("{task.description:>7}", style="bold", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            _RateColumn(self.windows),
            TextColumn(
                "score {task.fields[fields][score]}  exact {task.fields[fields][exact]}  "
                "errors {task.fields[fields][errors]}",
                markup=False,
            ),
            console=console,
            disable=not self.live,
        )
        self.tasks: dict[str, TaskID] = {}
        self.tickers: dict[str, Ticker] = {}
        for mode in totals:
            task = self.progress.add_task(
                mode, total=totals[mode], completed=self.done[mode], fields=Tally().fields()
            )
            self.tasks[mode] = task
            self.windows[task] = RateWindow()
            self.tickers[mode] = Ticker(totals[mode] - self.done[mode])

    def __enter__(self) -> RunProgress:
        self.progress.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.progress.stop()

    def started(self, job: Job) -> None:
        pass

    def finished(self, line: ResultLine) -> None:
        mode = line.mode
        tally = self.tallies[mode]
        tally.add(line)
        task = self.tasks[mode]
        window = self.windows[task]
        window.add()
        self.done[mode] += 1
        self.progress.update(task, advance=1, fields=tally.fields())
        if line.status == "error":
            say(self.progress.console, ("error", "red"), f" {mode} {line.item_id}: {line.error}")
        if not self.live and self.tickers[mode].due(window.done):
            f = tally.fields()
            remaining = self.totals[mode] - self.done[mode]
            say(
                self.console,
                f"{mode:>7} {self.done[mode]}/{self.totals[mode]} {rate_text(window, remaining)} "
                f"score {f['score'].strip()} exact {f['exact'].strip()} errors {f['errors']}",
            )


def summary_table(tallies: dict[str, Tally], title: str) -> Table:
    table = Table(title=Text(title))
    for name in ("mode", "items", "score %", "exact %", "unparseable", "errors", "tokens", "cost $"):
        table.add_column(name, justify="left" if name == "mode" else "right", no_wrap=True)
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
