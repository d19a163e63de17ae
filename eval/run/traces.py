"""Reading a run back for inspection: its result lines, one item's trace, and reasoning length vs outcome.

The result line that counts per (mode, item) is the index; traces are loaded only when asked for. Every
failure is a RunError whose message is one line naming the run, item or file.
"""

from __future__ import annotations

import difflib
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from eval.run.manifest import MANIFEST, RunManifest
from eval.run.results import RESULTS, ResultLine
from eval.run.rundir import RunDir, RunDirError
from eval.trace import Trace

OUTCOMES = ("correct", "wrong", "unparseable")  # errors have no answer, so no place in the length summary


RunError = RunDirError  # a run, item or trace that cannot be read: one error type for every run reader


@dataclass
class Run:
    root: Path
    manifest: RunManifest | None
    lines: dict[tuple[str, str], ResultLine]

    @property
    def name(self) -> str:
        return self.root.resolve().name

    @property
    def modes(self) -> list[str]:
        """The manifest's mode order first, then any other mode met in the results."""
        out = list(self.manifest.modes) if self.manifest else []
        out += sorted({m for m, _ in self.lines} - set(out))
        return out

    def item_ids(self) -> list[str]:
        return sorted({i for _, i in self.lines})

    def modes_of(self, item_id: str) -> list[str]:
        return [m for m in self.modes if (m, item_id) in self.lines]


def open_run(root: Path) -> Run:
    if not root.is_dir():
        raise RunError(f"run {root}: no such directory")
    if not (root / RESULTS).is_file() and not (root / MANIFEST).is_file():
        raise RunError(f"run {root}: not a run directory (no {RESULTS} or {MANIFEST})")
    # The manifest only orders modes and explains unfinished items: a missing or unreadable one must not
    # hide results.
    run = RunDir(root)
    return Run(root, run.manifest_or_none(), run.results())


def select(
    run: Run, *, task: str | None = None, mode: str | None = None, statuses: Iterable[str] = ()
) -> list[ResultLine]:
    """Result lines by item then mode. `task` matches the id (T1) or the name (Translation), any case."""
    lines = list(run.lines.values())
    if mode is not None:
        if mode not in run.modes:
            raise RunError(
                f"mode '{mode}' is not in run {run.root} (modes: {', '.join(run.modes) or 'none'})"
            )
        lines = [x for x in lines if x.mode == mode]
    if task is not None:
        want = task.lower()
        matching = [x for x in lines if want in (x.task.lower(), x.task_name.lower())]
        if not matching:
            tasks = sorted({x.task for x in run.lines.values()})
            raise RunError(f"task '{task}' is not in run {run.root} (tasks: {', '.join(tasks) or 'none'})")
        lines = matching
    wanted = set(statuses)
    if wanted:
        lines = [x for x in lines if x.status in wanted]
    order = {m: i for i, m in enumerate(run.modes)}
    return sorted(lines, key=lambda x: (x.item_id, order[x.mode]))


def find(run: Run, item_id: str, mode: str | None = None, *, option: str = "--mode") -> ResultLine:
    """The line that counts for one item; with no mode the item must have exactly one (`option` names the
    command-line option to pass otherwise)."""
    modes = run.modes_of(item_id)
    if not modes:
        if run.manifest and item_id in run.manifest.item_ids:
            raise RunError(f"item {item_id} has no finished result in run {run.root} yet")
        close = difflib.get_close_matches(item_id, run.item_ids(), n=3)
        hint = f" (close matches: {', '.join(close)})" if close else ""
        raise RunError(f"item {item_id} is not in run {run.root}{hint}")
    if mode is None:
        if len(modes) > 1:
            raise RunError(f"item {item_id} ran in modes {', '.join(modes)}: choose one with {option}")
        mode = modes[0]
    elif mode not in modes:
        raise RunError(f"item {item_id} has no '{mode}' result in run {run.root} (modes: {', '.join(modes)})")
    return run.lines[(mode, item_id)]


def trace_path(run: Run, line: ResultLine) -> Path:
    return run.root / (line.trace or f"traces/{line.mode}/{line.item_id}.json")


def load_trace(run: Run, line: ResultLine) -> Trace:
    path = trace_path(run, line)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RunError(f"trace {path}: no such file") from None
    except OSError as exc:
        raise RunError(f"trace {path}: {exc.strerror}") from None
    try:
        return Trace.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        detail = f"{where}: {first['msg']}" if where else first["msg"]
        raise RunError(f"trace {path}: not a valid trace ({detail})") from None


@dataclass(frozen=True)
class LengthStats:
    n: int
    median: float | None
    mean: float | None


@dataclass(frozen=True)
class ReasoningSummary:
    """Reasoning length (characters of model text + reasoning) by outcome, for one mode.

    `spearman` is the rank correlation between reasoning length and score over every non-error item
    (unparseable ones score 0). Ranks, because lengths are long-tailed and one runaway trace would
    dominate a Pearson / point-biserial r. None with fewer than 3 items or no variation.
    """

    mode: str
    by_outcome: dict[str, LengthStats]
    spearman: float | None
    n: int


def reasoning_summary(lines: Iterable[ResultLine], modes: Sequence[str]) -> list[ReasoningSummary]:
    lines, out = list(lines), []
    for mode in modes:
        answered = [x for x in lines if x.mode == mode and x.status != "error"]
        if not answered:
            continue
        by_outcome = {o: _stats([x.reasoning_chars for x in answered if x.status == o]) for o in OUTCOMES}
        rho = spearman([x.reasoning_chars for x in answered], [x.score for x in answered])
        out.append(ReasoningSummary(mode, by_outcome, rho, len(answered)))
    return out


def _stats(values: list[int]) -> LengthStats:
    if not values:
        return LengthStats(0, None, None)
    return LengthStats(len(values), float(statistics.median(values)), statistics.fmean(values))


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) < 3:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx, vy = sum((a - mx) ** 2 for a in rx), sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else None


def _ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


_WORD = {"correct": "right", "wrong": "wrong", "unparseable": "unparseable", "error": "error"}


def flip_verdict(label_a: str, status_a: str, label_b: str, status_b: str) -> str:
    """One line such as 'direct wrong → tools right'."""
    return f"{label_a} {_WORD.get(status_a, status_a)} → {label_b} {_WORD.get(status_b, status_b)}"
