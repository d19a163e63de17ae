"""A built-in policy's next move: call tools, or answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    name: str
    args: dict[str, Any]


@dataclass
class Act:
    """Tool calls with a sentence saying why (it becomes the step's text in the trace)."""

    note: str
    calls: list[Call] = field(default_factory=list)


@dataclass
class Answer:
    reasoning: str
    answer: str | None  # None: the policy cannot answer from what its tools gave it

    def text(self) -> str:
        if self.answer is None:
            return f"{self.reasoning}\nI cannot determine the answer with the tools available in this run."
        return f"{self.reasoning}\nFinal answer: {self.answer}"
