"""The agent's LangGraph: prepare → model → (tools → model)* → finish.

The graph keeps only control state (turn counter, pending tool calls, whether the next call is the
forced final answer); the conversation and the trace live on the ItemRun passed in the run config
(`configurable.item_run`), so nothing large is copied between steps and the graph is compiled once.
The turn counter, not LangGraph's recursion limit, ends runaway
loops: when it runs out the model is asked for its final answer without tools.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypedDict

from langchain_core.runnables import RunnableConfig
from langgraph.graph import END, START, StateGraph

from agent.conversation import Conversation
from agent.models.base import ModelClient, ModelError, ModelRequest, ToolCall
from eval.benchmark import Benchmark
from eval.items import ItemView
from eval.opening import forced_final_text
from eval.settings import SolveSettings
from eval.trace import ImageRef, ModelStep, Step, ToolStep, Trace, image_ref
from tools.base import Tool, ToolContext, ToolResult


class AgentState(TypedDict):
    turn: int
    pending: list[ToolCall]
    forced: bool


@dataclass
class ItemRun:
    item: ItemView
    bench: Benchmark
    model: ModelClient
    settings: SolveSettings
    tool_ctx: ToolContext
    tools: list[Tool]
    trace: Trace
    finish: Callable[[ItemRun], None]
    on_step: Callable[[Step], None] | None = None
    workdir: Path | None = None  # the run's scratch space (video frames for the opening go here)
    convo: Conversation = field(default_factory=Conversation)
    tool_images: int = 0

    def record(self, step: Step) -> None:
        self.trace.steps.append(step)
        if self.on_step:
            self.on_step(step)


async def _prepare(state: AgentState, config: RunnableConfig) -> dict:
    run = _item_run(config)
    first = await asyncio.to_thread(run.bench.opening, run.item, run.settings, run.workdir)
    run.trace.mode_prompts.update(first.mode_prompts)
    run.trace.frames.extend({**f, "source": "opening"} for f in first.frames)
    if first.system:
        run.convo.add_system(first.system)
    run.convo.add_user(first.user, first.images)
    return {"turn": 0, "pending": [], "forced": False}


async def _call_model(state: AgentState, config: RunnableConfig) -> dict:
    run = _item_run(config)
    forced = state["forced"]
    if forced:
        text, template_id, digest = forced_final_text()
        run.trace.mode_prompts[template_id] = digest
        run.convo.add_user(text)
    messages, n_images, dropped = run.convo.request(run.settings.max_images)
    offer = run.settings.mode == "tools" and not forced and bool(run.tools)
    request = ModelRequest(
        messages=messages,
        tools=[t.openai_schema() for t in run.tools] if offer else None,
        max_tokens=run.bench.answer_budget(run.item, run.settings),
        temperature=run.settings.temperature,
        metadata={"item": run.item, "mode": run.settings.mode, "access": run.settings.access},
    )
    started = time.time()
    step = ModelStep(
        turn=state["turn"],
        started_at=started,
        seconds=0.0,
        messages_sent=len(messages),
        images_sent=n_images,
        dropped_images=dropped,
        forced_final=forced,
        tools_offered=[t.name for t in run.tools] if offer else [],
    )
    try:
        response = await run.model.complete(request)
    except ModelError as exc:
        step.seconds = time.time() - started
        step.error = str(exc)
        run.trace.error = str(exc)
        run.record(step)
        return {"pending": [], "turn": state["turn"] + 1}
    run.convo.add_assistant(response)
    step.seconds = time.time() - started
    step.text, step.reasoning = response.text, response.reasoning
    step.tool_calls, step.tool_path = response.tool_calls, response.tool_path
    step.finish_reason, step.usage = response.finish_reason, response.usage
    step.cost_usd, step.attempts = response.cost_usd, response.attempts
    run.record(step)
    calls = response.tool_calls if offer else []
    return {"pending": calls, "turn": state["turn"] + 1}


async def _run_tools(state: AgentState, config: RunnableConfig) -> dict:
    run = _item_run(config)
    by_name = {t.name: t for t in run.tools}
    returned: list[ImageRef] = []
    for call in state["pending"]:
        started = time.time()
        tool = by_name.get(call.name)
        if tool is None:
            result = ToolResult.failure(f"unknown tool '{call.name}'; available: {', '.join(by_name)}")
        else:
            result = await asyncio.to_thread(tool.run, run.tool_ctx, call.arguments)
        refs = []
        for path in result.images:
            run.tool_images += 1
            refs.append(image_ref(Path(path), "tool", f"Tool image {run.tool_images}"))
        if result.ok and call.name == "video_frames":
            run.trace.frames.extend(_tool_frames(result.text, refs))
        text = result.text if result.ok else f"ERROR: {result.text}"
        if refs:
            text += f"\n[{', '.join(r.label for r in refs)} follow(s) in the next user message]"
        run.convo.add_tool(call.id, text)
        returned.extend(refs)
        run.record(
            ToolStep(
                turn=state["turn"],
                started_at=started,
                seconds=time.time() - started,
                call_id=call.id,
                name=call.name,
                arguments=call.arguments,
                ok=result.ok,
                result=result.text,
                images=refs,
                access=result.access,
            )
        )
    if returned:
        run.convo.add_user("Images returned by the tool calls above:", returned)
    forced = state["turn"] >= run.settings.max_turns - 1
    if forced:
        run.trace.limits_hit.append(f"max_turns={run.settings.max_turns}")
    return {"pending": [], "forced": forced}


def _tool_frames(text: str, refs: list[ImageRef]) -> list[dict]:
    """video_frames' frames as trace entries: its JSON lists them in the order of its images."""
    try:
        listed = json.loads(text).get("frames", [])
    except (ValueError, AttributeError):
        return []
    return [
        {
            "index": f.get("index"),
            "time": f.get("time_s"),
            "path": r.path,
            "sha256": r.sha256,
            "source": "tool",
        }
        for f, r in zip(listed, refs)
    ]


async def _finish(state: AgentState, config: RunnableConfig) -> dict:
    run = _item_run(config)
    run.finish(run)
    return {}


def _route(state: AgentState) -> str:
    return "tools" if state["pending"] else "finish"


def _item_run(config: RunnableConfig) -> ItemRun:
    return config["configurable"]["item_run"]


@lru_cache(maxsize=1)
def compiled_graph():  # -> CompiledStateGraph
    """Compiled once: compiling inspects every node's code, which costs milliseconds per item."""
    graph = StateGraph(AgentState)
    graph.add_node("prepare", _prepare)
    graph.add_node("model", _call_model)
    graph.add_node("tools", _run_tools)
    graph.add_node("finish", _finish)
    graph.add_edge(START, "prepare")
    graph.add_edge("prepare", "model")
    graph.add_conditional_edges("model", _route, {"tools": "tools", "finish": "finish"})
    graph.add_edge("tools", "model")
    graph.add_edge("finish", END)
    return graph.compile()
