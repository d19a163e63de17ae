"""What a benchmark is to the batch runner and the agent, and the registry that opens one by name.

A benchmark opens its items, says how an item opens a conversation (text, images or video frames) under a
run's settings, how many tokens an answer may take, and how a final text is judged. MiSI-Bench and
SciVideoBench are the two implementations (eval/misi, eval/scivideo); a third registers itself with
`eval.registry.register(name, opener)` and touches nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from eval.items import Item, ItemView
from eval.settings import SolveSettings
from eval.trace import ImageRef


class BenchmarkError(LookupError):
    """An unknown item id or a directory that is not a benchmark; the message says what is valid."""


@dataclass
class Verdict:
    """A final text judged against an item's gold answer."""

    parsed: str | None
    method: str
    parseable: bool
    score: float
    exact: bool
    column: str


@dataclass
class Opening:
    """The first messages of an item: an optional system prompt, the user text and its images."""

    system: str | None
    user: str
    images: list[ImageRef]
    mode_prompts: dict[str, str] = field(default_factory=dict)  # template id → hash
    frames: list[dict[str, Any]] = field(default_factory=list)  # video frames sent, for Trace.frames


@runtime_checkable
class Benchmark(Protocol):
    name: str
    root: Path  # item files (images, videos, structures) are relative to it

    @property
    def ids(self) -> list[str]: ...
    @property
    def tasks(self) -> list[str]: ...
    def item(self, item_id: str) -> Item: ...
    def items(self, tasks: list[str] | None = None) -> list[Item]: ...
    def task_of(self, item_id: str) -> str: ...
    def check_tasks(self, tasks: list[str]) -> list[str]:
        """The given task names, normalised; BenchmarkError naming the valid ones for an unknown one."""
        ...

    def ensure_images(self, item: Item | ItemView, workers: int = 1) -> None: ...
    def opening(self, item: ItemView, settings: SolveSettings, workdir: Path | None = None) -> Opening: ...
    def answer_budget(self, item: ItemView, settings: SolveSettings) -> int | None:
        """The completion-token cap of one model call (None: the run's setting or the server's)."""
        ...

    def judge(self, item: Item, text: str | None, settings: SolveSettings) -> Verdict:
        """Parse and score a final text (None: no answer was given)."""
        ...


def check_task_names(tasks: list[str], valid: list[str], *, fold_case: bool = False) -> list[str]:
    """Shared by benchmarks: the given names (deduplicated, in order) if all are valid."""
    names = [t.lower() if fold_case else t.upper() for t in tasks]
    names = list(dict.fromkeys(names))
    unknown = [t for t in names if t not in valid]
    if unknown:
        raise BenchmarkError(f"unknown task {', '.join(unknown)} (valid: {', '.join(valid)})")
    return names
