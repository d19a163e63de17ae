"""Per-run settings for solving items."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from tools.base import Access

Mode = Literal["direct", "cot", "tools"]
MODES: tuple[str, ...] = ("direct", "cot", "tools")
Protocol = Literal["default", "official"]
PROTOCOLS: tuple[str, ...] = ("default", "official")


class SolveSettings(BaseModel):
    mode: Mode = "tools"
    access: Access = "structure"
    max_turns: int = 12  # model calls per item; the last one is a forced final answer without tools
    max_images: int = 40  # per request; the oldest tool images are dropped first
    max_tokens: int | None = None
    temperature: float | None = 0.0
    protocol: Protocol = "default"  # SciVideoBench: "default" or "official" (see eval/scivideo/protocol.py)
    # SciVideoBench: frames sampled uniformly from the video for the opening message (official: always 32)
    frames: int = Field(32, ge=0, le=256)

    @property
    def recursion_limit(self) -> int:
        # prepare + (model, tools) per turn + finish, with room to spare; the turn counter is the real limit
        return 2 * self.max_turns + 8
