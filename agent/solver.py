"""Solving one item with the agent: build the graph's run, invoke it, judge the final answer, keep the trace.

`GraphSolver` is what the batch runner (eval.run.runner.Solver) and `agent solve` call.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from langgraph.errors import GraphRecursionError

from agent.graph import ItemRun, compiled_graph
from agent.models.base import ModelClient
from agent.toolset import tools_for
from eval.benchmark import Benchmark
from eval.items import Item
from eval.settings import SolveSettings
from eval.trace import Step, Trace
from tools.base import ToolContext


def _final_text(run: ItemRun) -> str | None:
    for step in reversed(run.trace.steps):
        if step.kind == "model" and step.error is None:
            return step.text
    return None


def _finish(item: Item, bench: Benchmark) -> Callable[[ItemRun], None]:
    def finish(run: ItemRun) -> None:
        trace = run.trace
        trace.final_text = _final_text(run)
        verdict = bench.judge(item, None if trace.error else trace.final_text, run.settings)
        trace.parsed, trace.parse_method, trace.parseable = verdict.parsed, verdict.method, verdict.parseable
        trace.score, trace.exact_match, trace.column = verdict.score, verdict.exact, verdict.column

    return finish


async def solve_item(
    item: Item,
    bench: Benchmark,
    model: ModelClient,
    settings: SolveSettings,
    workdir: Path,
    on_step: Callable[[Step], None] | None = None,
) -> Trace:
    """Run one item through the graph. The model and tools see only item.view(): no gold, no generation."""
    bench.ensure_images(item)
    view = item.view()
    trace = Trace(
        item_id=item.id,
        benchmark=bench.name,
        task=item.task,
        task_name=item.task_name,
        mode=settings.mode,
        model=model.name,
        base_url=model.base_url,
        access=settings.access,
        protocol=settings.protocol,
        prompt_template=item.prompt_template,
        prompt_hash=item.prompt_hash,
        settings=settings.model_dump(),
        gold=item.gold,
        started_at=time.time(),
    )
    ctx = ToolContext(
        item=view, bench_dir=bench.root, workdir=workdir / "tool-images" / item.id, access=settings.access
    )
    tools = tools_for(
        item.structure is not None, item.video is not None, settings.access, has_images=bool(item.images)
    )
    run = ItemRun(
        view,
        bench,
        model,
        settings,
        ctx,
        tools if settings.mode == "tools" else [],
        trace,
        _finish(item, bench),
        on_step,
        workdir=workdir,
    )
    try:
        config = {"recursion_limit": settings.recursion_limit, "configurable": {"item_run": run}}
        await compiled_graph().ainvoke({"turn": 0, "pending": [], "forced": False}, config=config)
    except GraphRecursionError:
        trace.limits_hit.append(f"recursion_limit={settings.recursion_limit}")
        trace.error = "the graph hit its recursion limit"
        run.finish(run)
    trace.messages = run.convo.records
    for step in trace.steps:
        if step.kind == "model":
            trace.usage = trace.usage + step.usage
            if step.cost_usd is not None:
                trace.cost_usd = (trace.cost_usd or 0.0) + step.cost_usd
    trace.finished_at = time.time()
    trace.seconds = trace.finished_at - trace.started_at
    return trace


class GraphSolver:
    """The agent as a solver for batch runs: one model client, the LangGraph graph, the item's tools."""

    def __init__(self, model: ModelClient) -> None:
        self.model = model

    @property
    def name(self) -> str:
        return self.model.name

    async def solve(
        self,
        item: Item,
        bench: Benchmark,
        settings: SolveSettings,
        workdir: Path,
        on_step: Callable[[Step], None] | None = None,
    ) -> Trace:
        return await solve_item(item, bench, self.model, settings, workdir, on_step)
