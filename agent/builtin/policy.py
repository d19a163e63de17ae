"""`builtin:tool-policy`: a deterministic offline model that drives the real tools through the real graph.

It implements the same protocol as the OpenAI client. Each call it reads the item view (passed in the
request's in-process metadata, never the gold) and the tool results so far, and either calls the next
tools of its task's plan or answers from what the tools returned.
"""

from __future__ import annotations

import json
import time

from agent.builtin.actions import Act, Answer
from agent.builtin.history import History
from agent.builtin.misi_strategies import STRATEGIES, Strategy
from agent.builtin.video_strategy import video_choice
from agent.models.base import ModelRequest, ModelResponse, ToolCall, Usage
from eval.items import ItemView

# Each benchmark's items get their own plans; an item of a benchmark without plans is abstained on.
_PLANS: dict[str, dict[str, Strategy]] = {"misi": STRATEGIES}
_ANY_TASK: dict[str, Strategy] = {"scivideo": video_choice}


def strategy_for(item: ItemView) -> Strategy | None:
    return _PLANS.get(item.benchmark, {}).get(item.task) or _ANY_TASK.get(item.benchmark)


class ToolPolicyModel:
    name = "builtin:tool-policy"
    base_url: str | None = None

    async def complete(self, request: ModelRequest) -> ModelResponse:
        started = time.perf_counter()
        item = request.metadata["item"]
        offered = {t["function"]["name"] for t in request.tools or []}
        if not offered:
            action: Act | Answer = Answer(
                "The built-in tool policy answers only from tool results, and no tools are offered here.",
                None,
            )
        elif (strategy := strategy_for(item)) is None:
            action = Answer(
                f"The built-in tool policy has no plan for {item.benchmark} {item.task} items.", None
            )
        else:
            action = strategy(item, offered, History(request.messages))
        turn = sum(1 for m in request.messages if m.get("role") == "assistant")
        if isinstance(action, Act):
            calls = [
                ToolCall(id=f"call_{turn}_{i}", name=c.name, arguments=json.dumps(c.args), path="native")
                for i, c in enumerate(action.calls)
            ]
            text, path = action.note, "native"
        else:
            calls, text, path = [], action.text(), "none"
        return ModelResponse(
            text=text,
            reasoning=None,
            tool_calls=calls,
            usage=Usage(),
            finish_reason="stop",
            tool_path=path,
            latency_s=time.perf_counter() - started,
            cost_usd=None,
            model=self.name,
        )
