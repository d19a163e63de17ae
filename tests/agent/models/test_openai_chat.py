"""OpenAIChatModel through the real openai client, over real HTTP, against the scripted loopback server."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel

from agent.models import ModelClient, ModelError, ModelRequest, ModelResponse, OpenAIChatModel, Prices
from agent.models.openai_chat import chat_kwargs
from tests.agent.models.fake_openai_server import FakeOpenAIServer, replies
from tools.base import Tool, ToolResult

KEY_ENV = "MOLSPATIAL_TEST_MODEL_KEY"
KEY = "sk-test-DoNotLeak-7f3a9c21e5"
IMAGE_URL = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAfbLI3wAAAABJRU5ErkJggg=="
)

Start = Callable[..., FakeOpenAIServer]
T = TypeVar("T")


class DistanceArgs(BaseModel):
    a: int
    b: int


MEASURE = Tool(
    "measure_distance",
    "Distance between two atoms, in angstrom.",
    DistanceArgs,
    lambda ctx, args: ToolResult.success({"distance": 3.1}),
)
SCHEMA = MEASURE.openai_schema()


@pytest.fixture(autouse=True)
def _fake_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, KEY)


def model_for(server: FakeOpenAIServer, **kw: Any) -> OpenAIChatModel:
    return OpenAIChatModel("qwen2.5-vl-7b", base_url=server.url, api_key_env=KEY_ENV, **kw)


def run(model: OpenAIChatModel, fn: Callable[[OpenAIChatModel], Awaitable[T]]) -> T:
    async def main() -> T:
        async with model:
            return await fn(model)

    return asyncio.run(main())


def ask(model: OpenAIChatModel, **request: Any) -> ModelResponse:
    request.setdefault("messages", [{"role": "user", "content": "How far apart are atoms 1 and 2?"}])
    return run(model, lambda m: m.complete(ModelRequest(**request)))


def ask_error(model: OpenAIChatModel, **request: Any) -> ModelError:
    with pytest.raises(ModelError) as info:
        ask(model, **request)
    return info.value


def test_is_a_model_client(fake_openai: Start) -> None:
    assert isinstance(model_for(fake_openai()), ModelClient)


def test_native_tool_call_and_what_was_sent(fake_openai: Start) -> None:
    server = fake_openai(replies.tool_call("measure_distance", {"a": 1, "b": 2}))
    strict = {"type": "function", "function": {**SCHEMA["function"], "strict": True}}
    response = ask(model_for(server), tools=[strict], max_tokens=256, seed=7, metadata={"item": "x"})

    assert response.tool_path == "native"
    assert [(c.id, c.name, json.loads(c.arguments), c.path) for c in response.tool_calls] == [
        ("call_0", "measure_distance", {"a": 1, "b": 2}, "native")
    ]
    assert response.finish_reason == "tool_calls"
    assert response.usage.prompt_tokens == 11 and response.usage.total == 18
    assert response.attempts == 1 and response.latency_s > 0
    assert response.cost_usd is None  # a local server has no known price

    (body,) = server.bodies
    assert body["tools"] == [SCHEMA]  # as sent, minus `strict`
    assert "tool_choice" not in body and "strict" not in json.dumps(body)
    assert body["max_tokens"] == 256 and body["temperature"] == 0.0 and body["seed"] == 7
    assert "metadata" not in body and "item" not in json.dumps(body)


def test_image_parts_arrive_as_data_urls(fake_openai: Start) -> None:
    server = fake_openai(replies.text("B"))
    content = [
        {"type": "text", "text": "Which pose?"},
        {"type": "image_url", "image_url": {"url": IMAGE_URL}},
    ]
    response = ask(model_for(server), messages=[{"role": "user", "content": content}])
    assert response.text == "B" and response.tool_path == "none" and response.tool_calls == []
    assert server.bodies[0]["messages"] == [{"role": "user", "content": content}]


def test_tool_call_id_pairing_round_trip(fake_openai: Start) -> None:
    server = fake_openai(
        replies.tool_call("measure_distance", {"a": 1, "b": 2}), replies.text("3.1 angstrom")
    )
    model = model_for(server)
    user = {"role": "user", "content": "How far?"}

    async def conversation(m: OpenAIChatModel) -> ModelResponse:
        first = await m.complete(ModelRequest(messages=[user], tools=[SCHEMA]))
        call = first.tool_calls[0]
        history = [
            user,
            first.assistant_message(),
            {"role": "tool", "tool_call_id": call.id, "content": "3.1"},
        ]
        return await m.complete(ModelRequest(messages=history, tools=[SCHEMA]))

    final = run(model, conversation)
    assert final.text == "3.1 angstrom"
    assistant, tool = server.bodies[1]["messages"][1:]
    assert assistant["tool_calls"][0]["id"] == tool["tool_call_id"] == "call_0"
    assert assistant["tool_calls"][0]["function"] == {
        "name": "measure_distance",
        "arguments": '{"a": 1, "b": 2}',
    }


def test_unpaired_tool_message_is_refused_by_the_server(fake_openai: Start) -> None:
    server = fake_openai(replies.text("unused"))
    messages = [{"role": "user", "content": "Hi"}, {"role": "tool", "tool_call_id": "nope", "content": "x"}]
    err = ask_error(model_for(server), messages=messages)
    assert err.status == 400 and not err.retryable and "tool" in err.message


def test_server_rejecting_tools_switches_to_the_text_protocol(fake_openai: Start) -> None:
    server = fake_openai(
        replies.reject_tools(),
        replies.text_tool_call("measure_distance", {"a": 1, "b": 2}, before="I will measure.\n"),
        replies.text("B"),
    )
    model = model_for(server)
    system = {"role": "system", "content": "You are a chemist."}
    user = {"role": "user", "content": "How far?"}

    async def conversation(m: OpenAIChatModel) -> tuple[ModelResponse, ModelResponse]:
        first = await m.complete(ModelRequest(messages=[system, user], tools=[SCHEMA]))
        call = first.tool_calls[0]
        tool_message = {"role": "tool", "tool_call_id": call.id, "content": '{"distance": 3.1}'}
        history = [system, user, first.assistant_message(), tool_message]
        return first, await m.complete(ModelRequest(messages=history, tools=[SCHEMA]))

    first, second = run(model, conversation)
    assert model.uses_text_protocol
    assert first.tool_path == "text" and first.text == "I will measure."
    assert [(c.id, c.name, json.loads(c.arguments), c.path) for c in first.tool_calls] == [
        ("call_text_0", "measure_distance", {"a": 1, "b": 2}, "text")
    ]
    assert first.attempts == 2
    assert second.text == "B" and second.attempts == 1

    rejected, retried, followup = server.bodies
    assert rejected["tools"] == [SCHEMA]
    for body in (retried, followup):
        assert "tools" not in body
        sys_text = body["messages"][0]["content"]
        assert (
            sys_text.startswith("You are a chemist.")
            and "<tools>" in sys_text
            and "measure_distance" in sys_text
        )
    roles = [m["role"] for m in followup["messages"]]
    assert roles == ["system", "user", "assistant", "user"]
    assert "<tool_call>" in followup["messages"][2]["content"]
    assert followup["messages"][3]["content"] == '<tool_response>\n{"distance": 3.1}\n</tool_response>'


def test_text_protocol_from_the_start(fake_openai: Start) -> None:
    server = fake_openai(replies.text_tool_call("measure_distance", {"a": 4, "b": 5}))
    response = ask(model_for(server, tool_protocol="text"), tools=[SCHEMA])
    assert response.tool_path == "text" and response.tool_calls[0].name == "measure_distance"
    assert len(server.bodies) == 1 and "tools" not in server.bodies[0]


def test_native_protocol_does_not_fall_back(fake_openai: Start) -> None:
    server = fake_openai(replies.reject_tools())
    err = ask_error(model_for(server, tool_protocol="native"), tools=[SCHEMA])
    assert err.status == 400 and "--enable-auto-tool-choice" in err.message
    assert len(server.bodies) == 1


def test_tool_call_left_in_content_is_parsed(fake_openai: Start) -> None:
    server = fake_openai(replies.text_tool_call("measure_distance", {"a": 1, "b": 2}, after="\nDone."))
    response = ask(model_for(server), tools=[SCHEMA])
    assert response.tool_path == "text" and response.text == "Done."
    assert response.tool_calls[0].path == "text" and json.loads(response.tool_calls[0].arguments) == {
        "a": 1,
        "b": 2,
    }
    assert server.bodies[0]["tools"] == [SCHEMA]  # the native path was used for the request


def test_malformed_arguments_are_kept_raw(fake_openai: Start) -> None:
    server = fake_openai(replies.malformed_tool_call("measure_distance", '{"a": 1, "b":'))
    response = ask(model_for(server), tools=[SCHEMA])
    assert [(c.name, c.arguments, c.path) for c in response.tool_calls] == [
        ("measure_distance", '{"a": 1, "b":', "native")
    ]


def test_rate_limit_honours_retry_after_then_succeeds(fake_openai: Start) -> None:
    server = fake_openai(replies.rate_limited(retry_after=1), replies.text("B"))
    start = time.monotonic()
    response = ask(model_for(server, max_retries=2))
    assert time.monotonic() - start >= 0.9  # waited the server's Retry-After, not the shorter backoff
    assert response.text == "B" and response.attempts == 2
    assert [r.headers.get("x-stainless-retry-count") for r in server.requests] == ["0", "1"]


def test_repeated_500_is_a_one_line_model_error(fake_openai: Start) -> None:
    server = fake_openai(default=replies.server_error(500))
    err = ask_error(model_for(server, max_retries=1))
    assert err.status == 500 and err.retryable and err.attempts == 2
    assert len(server.requests) == 2
    assert "\n" not in str(err)
    assert str(err).startswith(f"qwen2.5-vl-7b at {server.url}: HTTP 500: The server had an error")
    assert "after 2 attempts" in str(err)


def test_stalled_server_times_out_in_bounded_time(fake_openai: Start) -> None:
    server = fake_openai(replies.stall(10.0))
    start = time.monotonic()
    err = ask_error(model_for(server, timeout=0.5, max_retries=0))
    assert time.monotonic() - start < 3.0
    assert err.retryable and err.status is None and "timeout" in err.message
    assert len(server.requests) == 1


def test_api_key_is_sent_but_never_shown(fake_openai: Start, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    # A hostile or careless proxy that echoes the key in its error.
    server = fake_openai(
        replies.error(401, f"Incorrect API key provided: {KEY}"), default=replies.server_error()
    )
    model = model_for(server, max_retries=1)
    unauthorized = ask_error(model)
    model = model_for(server, max_retries=1)
    failed = ask_error(model)

    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert "[redacted]" in str(unauthorized) and unauthorized.status == 401 and not unauthorized.retryable
    for err in (unauthorized, failed):
        assert KEY not in str(err) and KEY not in repr(err)
        assert err.__cause__ is None and err.__context__ is None
    assert KEY not in repr(model)
    assert KEY not in caplog.text


def test_missing_key(monkeypatch: pytest.MonkeyPatch, fake_openai: Start) -> None:
    monkeypatch.delenv(KEY_ENV)
    with pytest.raises(ModelError, match=KEY_ENV):
        OpenAIChatModel("gpt-4o", api_key_env=KEY_ENV)
    server = fake_openai(replies.text("ok"))
    ask(model_for(server))
    assert server.requests[0].headers["authorization"] == "Bearer EMPTY"


def test_reasoning_usage_and_cost(fake_openai: Start) -> None:
    usage = {
        "prompt_tokens": 1000,
        "completion_tokens": 500,
        "total_tokens": 1500,
        "completion_tokens_details": {"reasoning_tokens": 300},
    }
    server = fake_openai(replies.text("B", reasoning_content="Compare the poses.", usage=usage))
    response = ask(model_for(server, prices=Prices(input_per_mtok=2.0, output_per_mtok=8.0)))
    assert response.reasoning == "Compare the poses."
    assert (
        response.usage.prompt_tokens,
        response.usage.completion_tokens,
        response.usage.reasoning_tokens,
    ) == (1000, 500, 300)
    assert response.cost_usd == pytest.approx((1000 * 2.0 + 500 * 8.0) / 1e6)
    assert response.model == "qwen2.5-vl-7b"


def test_openai_gets_its_own_parameters() -> None:
    strict = {"type": "function", "function": {**SCHEMA["function"], "strict": True}}
    request = ModelRequest(
        messages=[{"role": "user", "content": "Hi"}], tools=[strict], max_tokens=64, temperature=None
    )
    official = chat_kwargs("gpt-4o", request, text_mode=False, official=True)
    assert official["tools"] == [strict] and official["max_completion_tokens"] == 64
    assert "max_tokens" not in official and "temperature" not in official and "tool_choice" not in official
    local = chat_kwargs("qwen", request, text_mode=False, official=False)
    assert local["max_tokens"] == 64 and local["tools"] == [SCHEMA]
