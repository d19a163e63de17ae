"""Running (mode, item) jobs concurrently under one bounded semaphore.

Each finished job is written at once: the trace atomically, then its result line appended and fsynced.
A job that fails for any reason costs that item only: it becomes an error line and the run goes on.
Transient model errors are retried inside the model client (backoff, Retry-After) before that.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from eval.benchmark import Benchmark
from eval.items import Item
from eval.run.results import ResultLine, ResultWriter
from eval.run.rundir import RunDir
from eval.settings import SolveSettings
from eval.trace import Step, Trace, write_trace


class Solver(Protocol):
    """What answers an item: the agent's graph over a model, or anything else that returns a trace."""

    @property
    def name(self) -> str:
        """The model's name, as result lines record it."""
        ...

    async def solve(
        self,
        item: Item,
        bench: Benchmark,
        settings: SolveSettings,
        workdir: Path,
        on_step: Callable[[Step], None] | None = None,
    ) -> Trace: ...


@dataclass
class Job:
    mode: str
    item_id: str
    attempt: int = 1
    history: list[str] = field(default_factory=list)  # errors of earlier attempts


def line_from_trace(trace: Trace, item: Item, job: Job, trace_rel: str) -> ResultLine:
    return ResultLine(
        item_id=trace.item_id,
        benchmark=trace.benchmark,
        task=trace.task,
        task_name=trace.task_name,
        column=trace.column,
        mode=trace.mode,
        model=trace.model,
        access=trace.access,
        protocol=trace.protocol,
        status=trace.status,
        score=trace.score,
        exact_match=trace.exact_match,
        parsed=trace.parsed,
        parse_method=trace.parse_method,
        gold=trace.gold,
        final_text=trace.final_text,
        error=trace.error,
        error_history=job.history,
        attempt=job.attempt,
        seconds=trace.seconds,
        usage=trace.usage,
        cost_usd=trace.cost_usd,
        n_model_calls=sum(1 for s in trace.steps if s.kind == "model"),
        n_tool_calls=trace.n_tool_calls,
        reasoning_chars=trace.reasoning_chars,
        metadata=item.metadata,
        trace=trace_rel,
        finished_at=trace.finished_at,
    )


def _error_line(
    job: Job, solver: Solver, settings: SolveSettings, item: Item | None, error: str
) -> ResultLine:
    return ResultLine(
        item_id=job.item_id,
        benchmark=item.benchmark if item else "",
        task=item.task if item else "",
        task_name=item.task_name if item else "",
        mode=job.mode,
        model=solver.name,
        access=settings.access,
        protocol=settings.protocol,
        status="error",
        gold=item.gold if item else None,
        error=error,
        error_history=job.history,
        attempt=job.attempt,
        metadata=item.metadata if item else {},
        finished_at=time.time(),
    )


async def run_job(
    job: Job, bench: Benchmark, solver: Solver, settings: SolveSettings, run: RunDir
) -> tuple[ResultLine, dict[str, str]]:
    """The job's result line, and the prompt templates (id → hash) its conversation used."""
    item: Item | None = None
    try:
        item = bench.item(job.item_id)
        if any(not (Path(bench.root) / im.path).is_file() for im in item.images):
            await asyncio.to_thread(bench.ensure_images, item)  # rendering: off the event loop
        trace = await solver.solve(item, bench, settings, run.workdir / job.mode)
        path = run.trace_path(job.mode, item.id)
        write_trace(trace, path)
        prompts = {item.prompt_template: item.prompt_hash, **trace.mode_prompts}
        return line_from_trace(trace, item, job, run.relative(path)), prompts
    except Exception as exc:  # noqa: BLE001 - one broken item (bad file, tool bug) must not stop the run
        first = (str(exc).splitlines() or [""])[0]
        return _error_line(job, solver, settings, item, f"{type(exc).__name__}: {first}"), {}


class Events(Protocol):
    def started(self, job: Job) -> None: ...

    def finished(self, line: ResultLine) -> None: ...


async def execute(
    jobs: list[Job],
    *,
    bench: Benchmark,
    solver: Solver,
    settings_for: Callable[[str], SolveSettings],
    run: RunDir,
    concurrency: int,
    events: Events | None = None,
) -> dict[str, str]:
    """Run every job, at most `concurrency` at a time, appending each result as it completes.
    Returns the prompt templates (id → hash) the jobs used."""
    prompts: dict[str, str] = {}
    gate = asyncio.Semaphore(concurrency)
    writer = ResultWriter(run.results_path)

    async def one(job: Job) -> None:
        async with gate:
            if events:
                events.started(job)
            line, used = await run_job(job, bench, solver, settings_for(job.mode), run)
            writer.append(line)
            prompts.update(used)
            if events:
                events.finished(line)

    try:
        await asyncio.gather(*(one(job) for job in jobs))
    finally:
        writer.close()
    return prompts
