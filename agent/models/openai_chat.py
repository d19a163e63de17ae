"""A model behind an OpenAI-compatible Chat Completions server (OpenAI, vLLM, Ollama) via openai.AsyncOpenAI.

Retries are the openai client's own: connection errors, timeouts, 408, 409, 429 and 5xx are retried up to
`max_retries` times with exponential backoff, honouring `Retry-After` / `retry-after-ms` up to the client's
cap (2 minutes in openai 3.x; a longer Retry-After is not retried). This module adds one retry of its own:
in `tool_protocol="auto"`, a server that rejects `tools` is asked again with the text tool protocol.
"""

from __future__ import annotations

import json
import logging
import os
import time
from contextvars import ContextVar
from typing import Any, Literal
from urllib.parse import urlsplit

import openai
from openai.types.chat import ChatCompletion

from agent.models.base import ModelError, ModelRequest, ModelResponse, ToolCall, Usage
from agent.models.pricing import Prices, price_for
from agent.models.text_protocol import extract_tool_calls, to_text_messages

log = logging.getLogger(__name__)

OPENAI_BASE_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "EMPTY"  # what vLLM and Ollama expect when they check no key
ToolProtocol = Literal["auto", "native", "text"]
TOOL_PROTOCOLS: tuple[ToolProtocol, ...] = ("auto", "native", "text")

# HTTP requests made by the current complete() call; an httpx event hook counts them, retries included.
_attempts: ContextVar[list[int] | None] = ContextVar("molspatial_model_attempts", default=None)


async def _count_attempt(_request: Any) -> None:
    box = _attempts.get()
    if box is not None:
        box[0] += 1


def is_openai_api(base_url: str) -> bool:
    return urlsplit(base_url).hostname == "api.openai.com"


def _without_strict(tool: dict[str, Any]) -> dict[str, Any]:
    tool = {k: v for k, v in tool.items() if k != "strict"}
    if isinstance(tool.get("function"), dict):
        tool["function"] = {k: v for k, v in tool["function"].items() if k != "strict"}
    return tool


def chat_kwargs(model: str, request: ModelRequest, *, text_mode: bool, official: bool) -> dict[str, Any]:
    """The arguments for chat.completions.create. `tool_choice` is never sent (the default is "auto")."""
    kwargs: dict[str, Any] = {"model": model}
    if text_mode:
        kwargs["messages"] = to_text_messages(request.messages, request.tools)
    else:
        kwargs["messages"] = request.messages
        if request.tools:
            # Local servers reject or mishandle `strict`; OpenAI gets the schemas untouched.
            kwargs["tools"] = request.tools if official else [_without_strict(t) for t in request.tools]
    if request.max_tokens is not None:
        # OpenAI's reasoning models refuse max_tokens; other servers may not know max_completion_tokens.
        kwargs["max_completion_tokens" if official else "max_tokens"] = request.max_tokens
    if request.temperature is not None:
        kwargs["temperature"] = request.temperature
    if request.seed is not None:
        kwargs["seed"] = request.seed
    return kwargs


def _server_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        for key in ("message", "detail", "error"):
            if isinstance(body.get(key), str) and body[key]:
                return body[key]
        return json.dumps(body)
    if isinstance(body, str) and body.strip():
        return body
    return exc.message


def _rejects_tools(err: ModelError) -> bool:
    # vLLM: '"auto" tool choice requires --enable-auto-tool-choice ...'
    # Ollama: '<model> does not support tools'
    return err.status == 400 and "tool" in err.message.lower()


def _usage(completion: ChatCompletion) -> Usage:
    u = completion.usage
    if u is None:
        return Usage()
    details = u.completion_tokens_details
    reasoning = details.reasoning_tokens if details is not None else None
    return Usage(
        prompt_tokens=u.prompt_tokens or 0,
        completion_tokens=u.completion_tokens or 0,
        reasoning_tokens=reasoning or 0,
    )


class OpenAIChatModel:
    """A ModelClient for one model on one OpenAI-compatible server.

    tool_protocol: "native" sends `tools`; "text" describes them in the system prompt and parses
    `<tool_call>` blocks; "auto" starts native and switches this client to text for good when the server
    rejects `tools`. Either way a `<tool_call>` block in the content of a reply without native calls is
    taken as a call.
    """

    def __init__(
        self,
        model: str,
        base_url: str | None = None,
        api_key_env: str = "OPENAI_API_KEY",
        timeout: float = 120.0,
        max_retries: int = 3,
        tool_protocol: ToolProtocol = "auto",
        prices: Prices | None = None,
    ) -> None:
        self.name = model
        # An explicit default, so an OPENAI_BASE_URL in the environment does not silently redirect calls.
        self.base_url: str | None = (base_url or OPENAI_BASE_URL).rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.tool_protocol: ToolProtocol = tool_protocol
        self._official = is_openai_api(self.base_url)
        self._text_mode = tool_protocol == "text"
        # The table holds OpenAI's prices: a local server named like an OpenAI model costs nothing known.
        self.prices = prices or (price_for(model) if self._official else None)
        key = os.environ.get(api_key_env, "").strip()
        if not key:
            if self._official:
                raise ModelError(f"{model} at {self.base_url}: environment variable {api_key_env} is not set")
            key = PLACEHOLDER_KEY
        self._key = key
        self._client = openai.AsyncOpenAI(
            api_key=key,
            base_url=self.base_url,
            timeout=timeout,
            max_retries=max_retries,
            http_client=openai.DefaultAsyncHttpxClient(event_hooks={"request": [_count_attempt]}),
        )

    def __repr__(self) -> str:
        return (
            f"OpenAIChatModel(model={self.name!r}, base_url={self.base_url!r}, "
            f"tool_protocol={self.tool_protocol!r}, text_mode={self._text_mode})"
        )

    @property
    def uses_text_protocol(self) -> bool:
        """Whether tools currently go through the text protocol (set, or switched to in "auto")."""
        return self._text_mode

    async def aclose(self) -> None:
        await self._client.close()

    async def __aenter__(self) -> OpenAIChatModel:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def complete(self, request: ModelRequest) -> ModelResponse:
        start = time.perf_counter()
        box = [0]
        token = _attempts.set(box)
        try:
            text_mode = self._text_mode
            try:
                completion = await self._send(request, text_mode)
            except ModelError as err:
                if not (
                    request.tools and self.tool_protocol == "auto" and not text_mode and _rejects_tools(err)
                ):
                    raise
                log.warning(
                    "%s at %s rejected tools (%s); switching to the text tool protocol",
                    self.name,
                    self.base_url,
                    err.message,
                )
                self._text_mode = text_mode = True
                completion = await self._send(request, text_mode)
        finally:
            _attempts.reset(token)
        return self._response(completion, time.perf_counter() - start, max(box[0], 1))

    async def _send(self, request: ModelRequest, text_mode: bool) -> ChatCompletion:
        kwargs = chat_kwargs(self.name, request, text_mode=text_mode, official=self._official)
        # The SDK walks every content part through its TypedDict transforms (milliseconds per multi-image
        # request, on the event loop). The messages are plain JSON already, so they go in extra_body,
        # which the SDK merges into the request body as is.
        kwargs["extra_body"] = {**kwargs.get("extra_body", {}), "messages": kwargs.pop("messages")}
        error: ModelError | None = None
        try:
            raw = await self._client.chat.completions.with_raw_response.create(messages=[], **kwargs)
            completion = raw.parse()
        except openai.OpenAIError as exc:
            error = self._error(exc)
        if error is not None:
            # Raised outside the except block so it chains nothing: the openai exception holds the request,
            # whose headers carry the key.
            raise error
        if not isinstance(completion, ChatCompletion) or not completion.choices:
            raise self._fail(f"the reply is not a chat completion with choices: {str(completion)[:200]}")
        return completion

    def _fail(self, what: str, **kw: Any) -> ModelError:
        box = _attempts.get()
        attempts = box[0] if box else None
        message = f"{self.name} at {self.base_url}: {what}"
        if attempts and attempts > 1:
            message += f" (after {attempts} attempts)"
        if self._key != PLACEHOLDER_KEY:
            message = message.replace(self._key, "[redacted]")
        return ModelError(message[:1000], attempts=attempts, **kw)

    def _error(self, exc: openai.OpenAIError) -> ModelError:
        if isinstance(exc, openai.APIStatusError):
            status = exc.status_code
            retryable = status in (408, 409, 429) or status >= 500
            return self._fail(
                f"HTTP {status}: {_server_message(exc)[:500]}", status=status, retryable=retryable
            )
        if isinstance(exc, openai.APITimeoutError):
            return self._fail(f"no reply within the {self.timeout:g} s timeout", retryable=True)
        if isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__
            detail = f"{type(cause).__name__}: {cause}" if cause else exc.message
            return self._fail(f"connection failed ({detail})", retryable=True)
        return self._fail(f"{type(exc).__name__}: {exc}")

    def _response(self, completion: ChatCompletion, latency_s: float, attempts: int) -> ModelResponse:
        choice = completion.choices[0]
        message = choice.message
        text = message.content or message.refusal or ""
        calls = [
            ToolCall(
                id=c.id or f"call_{i}",
                name=c.function.name,
                arguments=c.function.arguments or "",
                path="native",
            )
            for i, c in enumerate(message.tool_calls or [])
            if c.type == "function"
        ]
        if not calls and "<tool_call>" in text:
            text, calls = extract_tool_calls(text)
        reasoning = getattr(message, "reasoning_content", None) or getattr(message, "reasoning", None)
        usage = _usage(completion)
        response = ModelResponse(
            text=text,
            reasoning=reasoning if isinstance(reasoning, str) else None,
            tool_calls=calls,
            usage=usage,
            finish_reason=choice.finish_reason,
            tool_path=calls[0].path if calls else "none",
            latency_s=latency_s,
            cost_usd=self.prices.cost(usage) if self.prices else None,
            model=completion.model or self.name,
            attempts=attempts,
        )
        log.debug(
            "%s: %d tool call(s) via the %s path, %d attempt(s), %.2f s",
            self.name,
            len(calls),
            response.tool_path,
            attempts,
            latency_s,
        )
        return response
