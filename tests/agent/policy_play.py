"""Play the built-in MiSI policy on one item through the real tools, without a model server: each plan step's
tool calls are run and their results fed back until the plan answers or abstains."""

from __future__ import annotations

import json

from agent.builtin.actions import Answer
from agent.builtin.history import History
from agent.builtin.misi_strategies import STRATEGIES
from agent.toolset import all_tools
from eval.items import ItemView
from tools.base import ToolContext


def play(view: ItemView, ctx: ToolContext, offered: set[str], *, turns: int, tool_errors: bool) -> Answer:
    """The plan's answer. `tool_errors`: a failing tool is told to the plan as an error (as the graph does);
    otherwise it fails the test."""
    tools = {t.name: t for t in all_tools()}
    messages: list[dict] = [{"role": "user", "content": view.prompt}]
    strategy = STRATEGIES[view.task]
    for turn in range(turns):
        action = strategy(view, offered, History(messages))
        if isinstance(action, Answer):
            return action
        calls = [
            {"id": f"c{turn}_{i}", "function": {"name": c.name, "arguments": json.dumps(c.args)}}
            for i, c in enumerate(action.calls)
        ]
        messages.append({"role": "assistant", "content": action.note, "tool_calls": calls})
        for call, c in zip(calls, action.calls, strict=True):
            result = tools[c.name].run(ctx, c.args)
            assert result.ok or tool_errors, result.text
            text = result.text if result.ok else f"ERROR: {result.text}"
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": text})
    raise AssertionError(f"{view.id}: no answer after {turns} turns")
