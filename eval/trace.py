"""The trace of one item: what was sent, what came back, which tools ran, and how the answer scored.

One JSON file per item. The shape maps onto Inspect AI's sample log: `messages` → messages, `steps`
→ events (model and tool events), `score`/`exact_match` → scores, `usage` → model usage, `error` → error.
Images appear by path and SHA-256, never inline; the API key never appears anywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, computed_field

from tools.atomic import write_atomic
from tools.images.encoding import encoded

ToolPath = Literal["native", "text"]
ImageSource = Literal["item", "tool", "frame"]
Status = Literal["correct", "wrong", "unparseable", "error"]


class ToolCall(BaseModel):
    id: str
    name: str
    arguments: str  # raw JSON text as the model produced it; the tool layer reports bad JSON to the model
    path: ToolPath  # "native": the server's tool_calls field; "text": a <tool_call> block in the content


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0  # includes reasoning tokens, as OpenAI counts them
    reasoning_tokens: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            reasoning_tokens=self.reasoning_tokens + other.reasoning_tokens,
        )


class ImageRef(BaseModel):
    path: str
    sha256: str
    source: ImageSource = "item"
    label: str = ""


def image_ref(path: Path, source: ImageSource, label: str) -> ImageRef:
    return ImageRef(path=str(path), sha256=encoded(str(path))[1], source=source, label=label)


class MessageRecord(BaseModel):
    """A chat message as sent, with image parts replaced by references."""

    role: Literal["system", "user", "assistant", "tool"]
    text: str = ""
    images: list[ImageRef] = Field(default_factory=list)
    tool_calls: list[ToolCall] = Field(default_factory=list)
    tool_call_id: str | None = None
    reasoning: str | None = None


class ModelStep(BaseModel):
    kind: Literal["model"] = "model"
    turn: int
    started_at: float
    seconds: float
    messages_sent: int  # the request was messages[:messages_sent] (after any image drops below)
    images_sent: int
    dropped_images: list[str] = Field(default_factory=list)
    tools_offered: list[str] = Field(default_factory=list)
    forced_final: bool = False
    text: str = ""
    reasoning: str | None = None
    tool_calls: list[ToolCall] = Field(default_factory=list)
    tool_path: str = "none"
    finish_reason: str | None = None
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    attempts: int = 1
    error: str | None = None


class ToolStep(BaseModel):
    kind: Literal["tool"] = "tool"
    turn: int
    started_at: float
    seconds: float
    call_id: str
    name: str
    arguments: str
    ok: bool
    result: str
    images: list[ImageRef] = Field(default_factory=list)
    access: str | None = None


Step = Annotated[ModelStep | ToolStep, Field(discriminator="kind")]


class Trace(BaseModel):
    schema_version: int = 1
    item_id: str
    benchmark: str
    task: str
    task_name: str
    mode: str
    model: str
    base_url: str | None = None
    access: str
    protocol: str = "default"
    prompt_template: str
    prompt_hash: str
    mode_prompts: dict[str, str] = Field(default_factory=dict)  # template id → hash
    settings: dict[str, Any] = Field(default_factory=dict)
    messages: list[MessageRecord] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    frames: list[dict[str, Any]] = Field(default_factory=list)  # video frames sent: index, time, path
    limits_hit: list[str] = Field(default_factory=list)
    error: str | None = None
    final_text: str | None = None
    parsed: str | None = None
    parse_method: str | None = None
    parseable: bool = False
    gold: str | None = None
    score: float = 0.0
    exact_match: bool = False
    column: str | None = None
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    started_at: float = 0.0
    finished_at: float = 0.0
    seconds: float = 0.0

    @property
    def status(self) -> Status:
        """correct | wrong | unparseable | error — NOANSWER kept apart from INCORRECT."""
        if self.error:
            return "error"
        if not self.parseable:
            return "unparseable"
        return "correct" if self.exact_match else "wrong"

    @property
    def n_tool_calls(self) -> int:
        return sum(1 for s in self.steps if s.kind == "tool")

    @property
    def reasoning_chars(self) -> int:
        return sum(len(s.text) + len(s.reasoning or "") for s in self.steps if s.kind == "model")


def write_trace(trace: Trace, path: Path) -> None:
    write_atomic(path, trace.model_dump_json(indent=1) + "\n")
