"""What every model client takes and returns, independent of the server behind it.

Messages use the OpenAI Chat Completions shape because every server we talk to (OpenAI, vLLM, Ollama)
speaks it; an in-process model can read the same dicts.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from eval.trace import ToolCall, ToolPath, Usage

__all__ = ["ModelClient", "ModelError", "ModelRequest", "ModelResponse", "ToolCall", "ToolPath", "Usage"]

class ModelRequest(BaseModel):
    # Chat Completions message dicts; user content may be a list of parts, images as
    # {"type": "image_url", "image_url": {"url": "data:image/png;base64,..."}}.
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]] | None = None  # Tool.openai_schema() dicts
    max_tokens: int | None = None
    temperature: float | None = 0.0  # None: leave the server's default (reasoning models accept no other)
    seed: int | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)  # for in-process models; never sent over HTTP


class ModelResponse(BaseModel):
    text: str = ""
    reasoning: str | None = None
    tool_calls: list[ToolCall] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    finish_reason: str | None = None
    tool_path: Literal["native", "text", "none"] = "none"
    latency_s: float = 0.0
    cost_usd: float | None = None
    model: str
    attempts: int = 1  # HTTP requests made, counting the client's own retries and a tools fallback

    def assistant_message(self) -> dict[str, Any]:
        """The reply as the assistant message to append to the history (reasoning is not sent back)."""
        message: dict[str, Any] = {"role": "assistant", "content": self.text or None}
        if self.tool_calls:
            message["tool_calls"] = [
                {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                for c in self.tool_calls
            ]
        return message


class ModelError(Exception):
    """A model call that failed; the message is one line naming the model, its server and what went wrong."""

    def __init__(
        self, message: str, *, retryable: bool = False, status: int | None = None, attempts: int | None = None
    ) -> None:
        message = " ".join(message.split())
        super().__init__(message)
        self.message = message
        self.retryable = retryable  # a later attempt may succeed (rate limit, 5xx, timeout, connection)
        self.status = status  # the HTTP status when the server answered
        self.attempts = attempts


@runtime_checkable
class ModelClient(Protocol):
    name: str
    base_url: str | None

    async def complete(self, request: ModelRequest) -> ModelResponse: ...
