"""Turning --model/--base-url into a model client. With no key and no base URL, the offline
built-in tool policy is the default, so everything runs right after install."""

from __future__ import annotations

import os

from agent.builtin import RandomModel, ToolPolicyModel
from agent.models import ModelClient, OpenAIChatModel
from agent.models.openai_chat import TOOL_PROTOCOLS, ToolProtocol


class ModelChoiceError(ValueError):
    """A model name or option that names no model client; the message says what is valid."""

BUILTINS = ("builtin:tool-policy", "builtin:random")


def default_model_name(base_url: str | None, api_key_env: str) -> str | None:
    if base_url is None and not os.environ.get(api_key_env):
        return "builtin:tool-policy"
    return None


def make_model(
    name: str | None,
    *,
    base_url: str | None = None,
    api_key_env: str = "OPENAI_API_KEY",
    timeout: float = 120.0,
    max_retries: int = 3,
    tool_protocol: ToolProtocol = "auto",
    seed: int = 0,
) -> ModelClient:
    name = name or default_model_name(base_url, api_key_env)
    if name is None:
        raise ModelChoiceError("--model is required when an API key or --base-url is configured")
    if name == "builtin:tool-policy":
        return ToolPolicyModel()
    if name == "builtin:random":
        return RandomModel(seed)
    if name.startswith("builtin:"):
        raise ModelChoiceError(f"unknown built-in model '{name}' (valid: {', '.join(BUILTINS)})")
    if tool_protocol not in TOOL_PROTOCOLS:
        valid = ", ".join(TOOL_PROTOCOLS)
        raise ModelChoiceError(f"unknown --tool-protocol '{tool_protocol}' (valid: {valid})")
    return OpenAIChatModel(
        name,
        base_url=base_url,
        api_key_env=api_key_env,
        timeout=timeout,
        max_retries=max_retries,
        tool_protocol=tool_protocol,
    )
