"""Model clients: what a request and a reply are, and the OpenAI-compatible client with its text fallback."""

from agent.models.base import ModelClient, ModelError, ModelRequest, ModelResponse, ToolCall, Usage
from agent.models.openai_chat import OpenAIChatModel
from agent.models.pricing import KNOWN_PRICES, PRICES_DATE, Prices, price_for
from agent.models.text_protocol import extract_tool_calls, to_text_messages, tools_system_prompt

__all__ = [
    "KNOWN_PRICES",
    "PRICES_DATE",
    "ModelClient",
    "ModelError",
    "ModelRequest",
    "ModelResponse",
    "OpenAIChatModel",
    "Prices",
    "ToolCall",
    "Usage",
    "extract_tool_calls",
    "price_for",
    "to_text_messages",
    "tools_system_prompt",
]
