"""The official SciVideoBench release on disk: one jsonl of questions and the JoVE videos beside it.

Layout (as the official lmms-eval task expects it): DIR/<name>.jsonl, one question per line, and the
videos as `jove_{video_id}.mp4` (or `.MP4`, `.mkv`) in DIR/videos/ or DIR itself. Rows are read strictly:
a malformed row is reported by file and line number rather than skipped, so a run never silently
evaluates fewer questions than the release holds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from eval.benchmark import BenchmarkError

VIDEO_SUFFIXES = (".mp4", ".MP4", ".mkv")  # the official loader's order
VIDEO_DIRS = ("videos", ".")


class ReleaseError(BenchmarkError):
    """A data dir or jsonl that is not a SciVideoBench release, or a malformed row."""


class MissingVideoError(BenchmarkError):
    """A question's video is not on disk; the message lists every path tried."""


class Row(BaseModel):
    """One jsonl row. Extra fields (rationale, difficulty…) are kept but unused."""

    model_config = ConfigDict(extra="allow")

    video_id: str
    question_id: str
    question: str
    options: dict[str, str]
    answer: str
    question_type: str
    discipline: str = ""
    subject: str = ""
    timestamp_breakdown: Any = None
    video_duration: float | None = None

    @field_validator("video_id", "question_id", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        # the release writes some ids as numbers
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("answer")
    @classmethod
    def _answer_is_an_option(cls, value: str, info: Any) -> str:
        options = info.data.get("options") or {}
        if value.strip() not in options:
            raise ValueError(f"answer '{value}' is not one of the options {sorted(options)}")
        return value.strip()


def find_jsonl(path: Path) -> Path:
    """The release's jsonl: `path` itself, or the single *.jsonl in the directory `path`."""
    path = Path(path)
    if path.is_file():
        return path
    if not path.is_dir():
        raise ReleaseError(f"{path}: no such SciVideoBench data dir or jsonl file")
    found = sorted(path.glob("*.jsonl"))
    if len(found) != 1:
        names = ", ".join(p.name for p in found) or "none"
        raise ReleaseError(f"{path}: expected exactly one *.jsonl (the official file), found {names}")
    return found[0]


def _problem(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" if where else err["msg"]


def read_rows(jsonl: Path) -> list[tuple[int, Row]]:
    """(line number, row) for every non-blank line, in file order; row index = position in this list."""
    rows: list[tuple[int, Row]] = []
    with Path(jsonl).open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                rows.append((lineno, Row.model_validate(json.loads(line))))
            except json.JSONDecodeError as exc:
                raise ReleaseError(f"{jsonl}:{lineno}: not valid JSON ({exc.msg})") from None
            except ValidationError as exc:
                raise ReleaseError(f"{jsonl}:{lineno}: malformed row ({_problem(exc)})") from None
    return rows


def video_candidates(data_dir: Path, video_id: str) -> list[Path]:
    stem = f"jove_{video_id}"
    return [Path(data_dir) / sub / f"{stem}{suffix}" for sub in VIDEO_DIRS for suffix in VIDEO_SUFFIXES]


def find_video(data_dir: Path, video_id: str) -> Path:
    tried = video_candidates(data_dir, video_id)
    for path in tried:
        if path.is_file():
            return path
    listed = ", ".join(str(p) for p in tried)
    raise MissingVideoError(f"video {video_id} not found; tried {listed}")
