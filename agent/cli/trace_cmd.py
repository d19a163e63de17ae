"""`agent trace list|show|compare RUN …`: read a batch run's results and reasoning traces in the terminal.

`show` needs a mode when the item ran in several (an error lists them). `compare RUN_A RUN_B ITEM` takes
`--mode-a/--mode-b`; giving the same run twice compares two of its modes, and an item that ran in exactly
two modes needs no options (manifest order: `agent trace compare RUN RUN ITEM` → direct vs tools).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from agent.cli.errors import UsageProblem
from agent.cli.show_steps import print_step, print_verdict
from eval.run.results import ResultLine
from eval.run.traces import (
    OUTCOMES,
    ReasoningSummary,
    Run,
    RunError,
    find,
    flip_verdict,
    load_trace,
    open_run,
    reasoning_summary,
    select,
    trace_path,
)
from eval.trace import Step, Trace

app = typer.Typer(help="Inspect the traces of a run in the terminal.", no_args_is_help=True)

COLOUR = {"correct": "green", "wrong": "red", "unparseable": "yellow", "error": "red"}
RunArg = typer.Argument(..., metavar="RUN", help="A run directory written by `agent run`.")
ItemArg = typer.Argument(..., metavar="ITEM", help="Item id, e.g. misi-T1-1acj-0.")


def _console() -> Console:
    return Console(highlight=False)  # made per command so COLUMNS is read when the command runs


@contextlib.contextmanager
def _usage() -> Iterator[None]:
    try:
        yield
    except RunError as exc:
        raise UsageProblem(str(exc)) from None


def _status(status: str) -> str:
    return f"[{COLOUR[status]}]{status}[/]"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _last_line(text: str | None) -> str:
    lines = [x for x in (text or "").splitlines() if x.strip()]
    return lines[-1].strip() if lines else "—"


@app.command("list")
def list_(
    run_dir: Path = RunArg,
    task: str | None = typer.Option(None, "--task", help="Only this task (id such as T1, or its name)."),
    mode: str | None = typer.Option(None, "--mode", help="Only this mode."),
    correct: bool = typer.Option(False, "--correct", help="Only correct answers."),
    wrong: bool = typer.Option(False, "--wrong", help="Only wrong answers."),
    unparseable: bool = typer.Option(False, "--unparseable", help="Only answers that could not be parsed."),
    errors: bool = typer.Option(False, "--errors", help="Only items that ended in an error."),
) -> None:
    """One row per result, then reasoning length against correctness per mode.

    Status options combine (--wrong --unparseable); the length summary ignores them, since it compares
    outcomes, but honours --task and --mode.
    """
    flags = {"correct": correct, "wrong": wrong, "unparseable": unparseable, "error": errors}
    with _usage():
        run = open_run(run_dir)
        rows = select(run, task=task, mode=mode, statuses=[s for s, on in flags.items() if on])
        summaries = reasoning_summary(select(run, task=task, mode=mode), run.modes)
    console = _console()
    console.print(_results_table(run, rows))
    if summaries:
        console.print(_summary_table(summaries))


def _results_table(run: Run, rows: list[ResultLine]) -> Table:
    table = Table(title=f"{run.name}: {len(rows)} of {len(run.lines)} results", title_justify="left")
    table.add_column("item", no_wrap=True)
    for name in ("task", "mode", "status"):
        table.add_column(name)
    table.add_column("score", justify="right")
    table.add_column("parsed / gold")
    for name in ("tools", "reasoning", "tokens", "s"):
        table.add_column(name, justify="right")
    for x in rows:
        answer = Text(f"{x.parsed or '—'} / {x.gold or '—'}")
        if x.status == "error":
            answer = Text(_clip(x.error or "error", 60), style="red")
        table.add_row(
            x.item_id,
            x.task,
            x.mode,
            _status(x.status),
            f"{x.score:.2f}",
            answer,
            str(x.n_tool_calls),
            f"{x.reasoning_chars:,}",
            f"{x.usage.total:,}",
            f"{x.seconds:.1f}",
        )
    return table


def _summary_table(summaries: list[ReasoningSummary]) -> Table:
    table = Table(
        title="reasoning length (characters) by outcome, errors left out",
        title_justify="left",
        caption="ρ: Spearman rank correlation between reasoning length and score over the mode's answers",
        caption_justify="left",
    )
    for name, right in (("mode", False), ("outcome", False), ("items", True), ("median", True)):
        table.add_column(name, justify="right" if right else "left")
    table.add_column("mean", justify="right")
    table.add_column("ρ(length, score)", justify="right")
    for s in summaries:
        rho = "n/a" if s.spearman is None else f"{s.spearman:+.2f} (n={s.n})"
        for k, outcome in enumerate(OUTCOMES):
            st = s.by_outcome[outcome]
            median = "—" if st.median is None else f"{st.median:,.0f}"
            mean = "—" if st.mean is None else f"{st.mean:,.0f}"
            table.add_row(s.mode if k == 0 else "", outcome, str(st.n), median, mean, rho if k == 0 else "")
        table.add_section()
    return table


@app.command("show")
def show(
    run_dir: Path = RunArg,
    item_id: str = ItemArg,
    mode: str | None = typer.Option(None, "--mode", help="Needed when the item ran in several modes."),
) -> None:
    """One trace as a tree: prompt, frames, every step, then the answer against gold."""
    with _usage():
        run = open_run(run_dir)
        line = find(run, item_id, mode)
        trace = load_trace(run, line)
    _console().print(trace_tree(trace, trace_path(run, line)))


class _TreeSink(Console):
    """A console that turns what show_steps prints into tree nodes: a node per step, its lines as children."""

    def __init__(self, parent: Tree) -> None:
        super().__init__(highlight=False)
        self.parent = parent
        self.node: Tree | None = None

    def print(self, *objects: Any, markup: bool | None = None, **_: Any) -> None:
        for obj in objects:
            item = self.render_str(obj.lstrip(" "), markup=markup) if isinstance(obj, str) else obj
            if self.node is None:
                self.node = self.parent.add(item)
            else:
                self.node.add(item)


def trace_tree(trace: Trace, path: Path) -> Tree:
    root = Tree(
        f"[bold]{trace.item_id}[/] · {trace.task} {trace.task_name} · {trace.mode} · {trace.model}"
        f" · access {trace.access} · {_status(trace.status)}"
    )
    root.add(Text(f"trace: {path}", style="dim"))
    _add_prompt(root.add("[bold]prompt[/]"), trace)
    if trace.frames:
        frames = root.add(f"[bold]video frames sent[/] ({len(trace.frames)})")
        for f in trace.frames:
            time = f.get("time")
            at = f"{time:.2f} s" if isinstance(time, (int, float)) else "?"
            frames.add(Text(f"frame {f.get('index', '?')} @ {at}  {f.get('path', '')}".rstrip()))
    steps = root.add(
        f"[bold]steps[/] ({len(trace.steps) - trace.n_tool_calls} model, {trace.n_tool_calls} tool)"
    )
    for step in trace.steps:
        print_step(_TreeSink(steps), step)
    print_verdict(_TreeSink(root), trace)
    cost = "—" if trace.cost_usd is None else f"${trace.cost_usd:.4f}"
    u = trace.usage
    totals = (
        f"tokens {u.prompt_tokens:,} prompt + {u.completion_tokens:,} completion"
        f" ({u.reasoning_tokens:,} reasoning) · cost {cost} · {trace.seconds:.1f} s"
        f" · reasoning {trace.reasoning_chars:,} characters"
    )
    root.add(Text(totals))
    if trace.limits_hit:
        root.add(Text(f"limits hit: {', '.join(trace.limits_hit)}", style="yellow"))
    return root


def _add_prompt(node: Tree, trace: Trace) -> None:
    system = next((m for m in trace.messages if m.role == "system"), None)
    user = next((m for m in trace.messages if m.role == "user"), None)
    if system is None and user is None:
        node.add(Text("(no messages recorded)", style="dim"))
    if system is not None:  # the same for every item of a mode: one line is enough to recognise it
        node.add(Text(f"system: {_clip(system.text, 100)} ({len(system.text):,} characters)", style="dim"))
    if user is not None:
        user_node = node.add(Text(user.text))
        for i, im in enumerate(user.images, start=1):
            label = f" ({im.label})" if im.label else ""
            user_node.add(Text(f"image {i}: {im.path}{label}", style="dim"))


@app.command("compare")
def compare(
    run_a: Path = typer.Argument(..., metavar="RUN_A", help="A run directory."),
    run_b: Path = typer.Argument(..., metavar="RUN_B", help="Another run directory, or RUN_A again."),
    item_id: str = ItemArg,
    mode_a: str | None = typer.Option(None, "--mode-a", help="Mode in RUN_A."),
    mode_b: str | None = typer.Option(None, "--mode-b", help="Mode in RUN_B."),
) -> None:
    """Two traces of one item side by side, with a verdict such as 'direct wrong → tools right'."""
    with _usage():
        ra = open_run(run_a)
        same = run_a.resolve() == run_b.resolve()
        rb = ra if same else open_run(run_b)
        if same and mode_a is None and mode_b is None and len(ra.modes_of(item_id)) == 2:
            mode_a, mode_b = ra.modes_of(item_id)
        la = find(ra, item_id, mode_a, option="--mode-a")
        lb = find(rb, item_id, mode_b, option="--mode-b")
        if same and la.mode == lb.mode:
            raise RunError(f"both sides are the {la.mode} trace of {item_id}: pass --mode-a and --mode-b")
        ta, tb = load_trace(ra, la), load_trace(rb, lb)
    names = (la.mode, lb.mode) if same else (f"{ra.name}:{la.mode}", f"{rb.name}:{lb.mode}")
    if names[0] == names[1]:
        names = (f"A {names[0]}", f"B {names[1]}")
    console = _console()
    console.print(_compare_table(names, ta, tb))
    verdict = flip_verdict(names[0], ta.status, names[1], tb.status)
    console.print(Text(verdict, style="bold"))


def _compare_table(names: tuple[str, str], a: Trace, b: Trace) -> Table:
    table = Table(
        title=f"{a.item_id} · {a.task} {a.task_name}", title_justify="left", show_lines=True, expand=True
    )
    table.add_column("", no_wrap=True)
    table.add_column(names[0], ratio=1)
    table.add_column(names[1], ratio=1)
    rows: list[tuple[str, Any]] = [
        ("model", lambda t: Text(t.model)),
        ("status", lambda t: _status(t.status)),
        ("score", lambda t: f"{t.score:.3f}"),
        ("final answer", lambda t: Text(_last_line(t.final_text))),
        ("parsed", lambda t: Text(f"{t.parsed if t.parseable else 'UNPARSEABLE'} ({t.parse_method})")),
        ("gold", lambda t: Text(str(t.gold))),
        ("reasoning", lambda t: f"{t.reasoning_chars:,} characters"),
        ("tool calls", lambda t: Text(", ".join(_tool_names(t)) or "none")),
        ("tokens", lambda t: f"{t.usage.total:,}"),
        ("time", lambda t: f"{t.seconds:.1f} s"),
        ("steps", lambda t: Text("\n".join(_step_line(s) for s in t.steps) or "—")),
    ]
    if a.error or b.error:
        rows.append(("error", lambda t: Text(t.error or "—")))
    for label, cell in rows:
        table.add_row(label, cell(a), cell(b))
    return table


def _tool_names(trace: Trace) -> list[str]:
    return [f"{s.name}{'' if s.ok else ' (error)'}" for s in trace.steps if s.kind == "tool"]


def _step_line(step: Step) -> str:
    if step.kind == "tool":
        return f"t{step.turn} {step.name} {'ok' if step.ok else 'error'}: {_clip(step.result, 60)}"
    said = f"error: {step.error}" if step.error else _last_line(step.text)
    calls = ", ".join(c.name for c in step.tool_calls)
    return f"t{step.turn} model: {_clip(said, 70)}" + (f" → {calls}" if calls else "")
