"""Tool calls as text, for servers whose chat template has no tools section (Qwen2.5-VL on vLLM or Ollama).

The model is shown the tools in the system prompt and answers with `<tool_call>{"name": ..., "arguments":
{...}}</tool_call>` blocks (the Hermes-style format Qwen models were trained on). Tool results go back as
user messages wrapped in `<tool_response>`, since such templates render no `tool` role and no `tool_calls`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from agent.models.base import ToolCall

_BLOCK = re.compile(r"<tool_call>(.*?)(?:</tool_call>|\Z)", re.DOTALL)
_FENCE = re.compile(r"^```[\w-]*\s*\n?(.*?)\n?\s*```$", re.DOTALL)
_NAME = re.compile(r'"name"\s*:\s*"([^"]+)"')

_INSTRUCTIONS = """\
# Tools

You can call the functions below to help answer. Their signatures are given as JSON inside <tools></tools>:
<tools>
{tools}
</tools>

To call a function, reply with a JSON object holding its name and arguments inside <tool_call></tool_call> \
tags, one block per call; you may make several calls in one reply:
<tool_call>
{{"name": "<function-name>", "arguments": {{<arguments as a JSON object>}}}}
</tool_call>

Results come back inside <tool_response></tool_response> tags. When you need no more calls, answer \
without any <tool_call> block."""


def tools_system_prompt(tools: list[dict[str, Any]]) -> str:
    """The system-prompt section that describes the tools and the `<tool_call>` reply format."""
    lines = [json.dumps(t.get("function", t), ensure_ascii=False, sort_keys=True) for t in tools]
    return _INSTRUCTIONS.format(tools="\n".join(lines))


def _unfence(body: str) -> str:
    body = body.strip()
    match = _FENCE.match(body)
    return match.group(1).strip() if match else body


def _parse_block(body: str, call_id: str) -> ToolCall:
    try:
        obj = json.loads(body)
    except json.JSONDecodeError:
        obj = None
    if not (isinstance(obj, dict) and isinstance(obj.get("name"), str)):
        # Kept with the raw text as arguments so the tool layer tells the model what was wrong.
        name = _NAME.search(body)
        return ToolCall(id=call_id, name=name.group(1) if name else "", arguments=body, path="text")
    args = obj.get("arguments", obj.get("parameters", {}))
    # Some models double-encode the arguments as a JSON string: pass that text through as the arguments.
    arguments = args if isinstance(args, str) else json.dumps(args, ensure_ascii=False)
    return ToolCall(id=call_id, name=obj["name"], arguments=arguments, path="text")


def extract_tool_calls(text: str, *, start: int = 0) -> tuple[str, list[ToolCall]]:
    """Split `<tool_call>` blocks out of a reply: (the text without them, the calls in order).

    Ids are `call_text_<n>` counting from `start`. An unclosed last block (the model stopped at the closing
    tag or ran out of tokens) still counts as a call.
    """
    calls = [
        _parse_block(_unfence(m.group(1)), f"call_text_{start + i}")
        for i, m in enumerate(_BLOCK.finditer(text))
    ]
    rest = _BLOCK.sub("", text) if calls else text
    return re.sub(r"\n{3,}", "\n\n", rest).strip(), calls


def _call_block(call: dict[str, Any]) -> str:
    fn = call.get("function", {})
    raw = fn.get("arguments") or "{}"
    try:
        args: Any = json.loads(raw)
    except (json.JSONDecodeError, TypeError):
        args = raw
    return "<tool_call>\n" + json.dumps({"name": fn.get("name", ""), "arguments": args}) + "\n</tool_call>"


def _with_system(messages: list[dict[str, Any]], section: str) -> list[dict[str, Any]]:
    if messages and messages[0].get("role") == "system":
        first = dict(messages[0])
        content = first.get("content")
        if isinstance(content, list):
            first["content"] = [*content, {"type": "text", "text": "\n\n" + section}]
        else:
            first["content"] = f"{content}\n\n{section}" if content else section
        return [first, *messages[1:]]
    return [{"role": "system", "content": section}, *messages]


def to_text_messages(
    messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """Rewrite a native tool-calling history for a template without tools support.

    The tools section joins the system prompt; assistant `tool_calls` become `<tool_call>` blocks in the
    content; consecutive `tool` messages become one user message of `<tool_response>` blocks.
    """
    out: list[dict[str, Any]] = []
    responses: list[str] = []

    def flush() -> None:
        if responses:
            out.append({"role": "user", "content": "\n".join(responses)})
            responses.clear()

    for message in messages:
        role = message.get("role")
        if role == "tool":
            content = message.get("content")
            if isinstance(content, list):  # text parts only: tool messages carry no images
                content = "\n".join(p.get("text", "") for p in content if isinstance(p, dict))
            responses.append(f"<tool_response>\n{content or ''}\n</tool_response>")
            continue
        flush()
        if role == "assistant" and message.get("tool_calls"):
            blocks = [_call_block(c) for c in message["tool_calls"]]
            text = message.get("content") or ""
            out.append({"role": "assistant", "content": "\n".join([text, *blocks] if text else blocks)})
        else:
            out.append(message)
    flush()
    return _with_system(out, tools_system_prompt(tools)) if tools else out
