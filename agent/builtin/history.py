"""What a built-in model can read from the conversation: the tool calls made so far and their results."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass
class Outcome:
    name: str
    args: dict[str, Any]
    ok: bool
    data: Any  # parsed JSON for successes, the message text for errors


def tool_outcomes(messages: list[dict]) -> list[Outcome]:
    calls: dict[str, tuple[str, dict]] = {}
    out: list[Outcome] = []
    for msg in messages:
        if msg.get("role") == "assistant":
            for call in msg.get("tool_calls") or []:
                fn = call.get("function", {})
                try:
                    args = json.loads(fn.get("arguments") or "{}")
                except json.JSONDecodeError:
                    args = {}
                calls[call["id"]] = (fn.get("name", ""), args)
        elif msg.get("role") == "tool" and msg.get("tool_call_id") in calls:
            name, args = calls[msg["tool_call_id"]]
            text = msg.get("content") or ""
            if isinstance(text, list):
                text = " ".join(p.get("text", "") for p in text if isinstance(p, dict))
            body = text.split("\n[Tool image", 1)[0]
            if body.startswith("ERROR: "):
                out.append(Outcome(name, args, False, body[len("ERROR: ") :]))
                continue
            try:
                out.append(Outcome(name, args, True, json.loads(body)))
            except json.JSONDecodeError:
                out.append(Outcome(name, args, False, body))
    return out


class History:
    def __init__(self, messages: list[dict]) -> None:
        self.outcomes = tool_outcomes(messages)

    def last(self, name: str, **match: Any) -> Outcome | None:
        for o in reversed(self.outcomes):
            if o.name == name and all(o.args.get(k) == v for k, v in match.items()):
                return o
        return None

    def count(self, name: str) -> int:
        return sum(1 for o in self.outcomes if o.name == name)
