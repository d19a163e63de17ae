"""Progress of a benchmark build on stderr: live bars with rate and ETA on a terminal, plain lines
(at most one per stage every few seconds, and one when a stage ends) when stderr is a file or a pipe."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from agent.cli.console import make_console

PLAIN_EVERY = 10.0  # seconds between plain progress lines of one stage


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("  – /s" if speed is None else f"{speed:5.2f}/s", style="cyan")


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s"


class BuildProgress:
    """A callable (stage, done, total) for eval's build functions."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or make_console(stderr=True)
        self.live = self.console.is_terminal
        self.bar = Progress(
            TextColumn("{task.description:<14}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self.tasks: dict[str, TaskID] = {}
        self.started: dict[str, tuple[float, int]] = {}  # stage -> (time, done at the first report)
        self.last_line: dict[str, float] = {}

    def __enter__(self) -> BuildProgress:
        if self.live:
            self.bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.live:
            self.bar.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.live:
            if stage not in self.tasks:
                self.tasks[stage] = self.bar.add_task(stage, total=total, completed=done)
            self.bar.update(self.tasks[stage], completed=done, total=total)
            return
        now = time.monotonic()
        first = stage not in self.started
        if first:
            self.started[stage] = (now, done)
        finished = done >= total
        if not (first or finished or now - self.last_line.get(stage, 0.0) >= PLAIN_EVERY):
            return
        if finished and self.last_line.get(stage) == -1.0:
            return  # the end of this stage is already reported
        self.last_line[stage] = -1.0 if finished else now
        t0, d0 = self.started[stage]
        rate = (done - d0) / (now - t0) if now > t0 and done > d0 else None
        parts = [f"{stage}: {done}/{total}"]
        if total:
            parts.append(f"({100 * done / total:.0f}%)")
        if rate:
            parts.append(f"{rate:.2f}/s")
            if not finished:
                parts.append(f"ETA {_duration((total - done) / rate)}")
        if finished:
            parts.append(f"in {_duration(now - t0)}")
        self.console.print(" ".join(parts), markup=False, highlight=False, soft_wrap=True)
