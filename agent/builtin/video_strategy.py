"""The built-in policy on video items: look at frames, then answer only if the tools settle the question."""

from __future__ import annotations

from agent.builtin.actions import Act, Answer, Call
from agent.builtin.history import History
from eval.items import ItemView


def video_choice(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    if "video_frames" in tools and h.last("video_frames") is None:
        return Act("Sample frames across the video.", [Call("video_frames", {"uniform": 8})])
    return Answer("The frames alone do not settle this question for a rule-based policy.", None)
