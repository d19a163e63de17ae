"""One line of results.jsonl per finished attempt at (mode, item), and reading them back.

The file is append-only. A line is written with one `write` call and flushed, so a killed process leaves
at most one torn last line; readers skip it and the next writer cuts it off before appending. An item
may have several lines (errors, then a rerun): the last one counts, and carries the earlier errors.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from eval.trace import Status, Usage

RESULTS = "results.jsonl"


class ResultLine(BaseModel):
    item_id: str
    benchmark: str
    task: str
    task_name: str = ""
    column: str | None = None  # the report column (MiSI: Trans, Rot, …; T4 splits into RL-Pos / RL-Neg)
    mode: str
    model: str
    access: str
    protocol: str = "default"
    status: Status
    score: float = 0.0
    exact_match: bool = False
    parsed: str | None = None
    parse_method: str | None = None
    gold: str | None = None
    final_text: str | None = None
    error: str | None = None
    error_history: list[str] = Field(default_factory=list)  # errors of earlier attempts, oldest first
    attempt: int = 1
    seconds: float = 0.0
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    n_model_calls: int = 0
    n_tool_calls: int = 0
    reasoning_chars: int = 0
    metadata: dict[str, Any] = Field(default_factory=dict)  # SciVideoBench: question_type, discipline, …
    trace: str = ""  # path of the trace, relative to the run directory
    finished_at: float = 0.0

    @property
    def key(self) -> tuple[str, str]:
        return (self.mode, self.item_id)


def iter_lines(path: Path) -> Iterable[ResultLine]:
    """Every complete, valid line in order; a torn or corrupt line is skipped."""
    if not path.is_file():
        return
    with path.open("rb") as handle:
        for raw in handle:
            if not raw.endswith(b"\n"):
                return  # torn tail from a killed writer
            try:
                yield ResultLine.model_validate_json(raw)
            except (ValidationError, ValueError):
                continue


def latest(path: Path) -> dict[tuple[str, str], ResultLine]:
    """The last line per (mode, item): the result that counts."""
    out: dict[tuple[str, str], ResultLine] = {}
    for line in iter_lines(path):
        out[line.key] = line
    return out


def cut_torn_tail(path: Path) -> None:
    """Drop a partial last line so the next append starts on a fresh line."""
    if not path.is_file():
        return
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        keep = data.rfind(b"\n") + 1
        with path.open("r+b") as handle:
            handle.truncate(keep)


class ResultWriter:
    """Appends lines with a single write each, flushed and fsynced before returning."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        cut_torn_tail(path)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def append(self, line: ResultLine) -> None:
        data = (json.dumps(line.model_dump(mode="json"), ensure_ascii=False) + "\n").encode()
        os.write(self._fd, data)
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)
