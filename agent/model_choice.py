"""Turning --model/--base-url into a model client. Without --model and without a server (--base-url or
$OPENAI_BASE_URL) the offline built-in tool policy is used, whether or not an API key is set: the README's
first command runs right after install; an API model (which costs money) is only ever called when named."""

from __future__ import annotations

import os

from agent.builtin import RandomModel, ToolPolicyModel
from agent.models import ModelClient, OpenAIChatModel
from agent.models.openai_chat import TOOL_PROTOCOLS, ToolProtocol, is_openai_api, resolve_base_url


class ModelChoiceError(ValueError):
    """A model name or option that names no model client; the message says what is valid."""


BUILTINS = ("builtin:tool-policy", "builtin:random")


DEFAULT_MODEL = "builtin:tool-policy"


def default_model_name(base_url: str | None) -> str | None:
    """The model used when --model is not given: the built-in one, unless a server was named."""
    return DEFAULT_MODEL if resolve_base_url(base_url) is None else None


def default_note(name: str | None, base_url: str | None, api_key_env: str) -> str | None:
    """A line telling a user with an API key set that the offline model is used, and how to change that."""
    if name is None and resolve_base_url(base_url) is None and os.environ.get(api_key_env, "").strip():
        return f"no --model given: using the offline {DEFAULT_MODEL} (give --model NAME to call a model)"
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
    name = name or default_model_name(base_url)
    if name is None:
        raise ModelChoiceError(
            f"the server {resolve_base_url(base_url)} needs --model (its model name, e.g. "
            "Qwen/Qwen2.5-VL-7B-Instruct); "
            f"without --base-url or OPENAI_BASE_URL the offline {DEFAULT_MODEL} is used"
        )
    if name == "builtin:tool-policy":
        return ToolPolicyModel()
    if name == "builtin:random":
        return RandomModel(seed)
    if name.startswith("builtin:"):
        raise ModelChoiceError(f"unknown built-in model '{name}' (valid: {', '.join(BUILTINS)})")
    if tool_protocol not in TOOL_PROTOCOLS:
        valid = ", ".join(TOOL_PROTOCOLS)
        raise ModelChoiceError(f"unknown --tool-protocol '{tool_protocol}' (valid: {valid})")
    server = resolve_base_url(base_url)
    official = server is None or is_openai_api(server)
    if official and not os.environ.get(api_key_env, "").strip():
        raise ModelChoiceError(
            f"--model {name} needs an API key in the environment variable {api_key_env} "
            f"(or name another with --api-key-env); offline, use --model {DEFAULT_MODEL}"
        )
    return OpenAIChatModel(
        name,
        base_url=resolve_base_url(base_url),
        api_key_env=api_key_env,
        timeout=timeout,
        max_retries=max_retries,
        tool_protocol=tool_protocol,
    )
