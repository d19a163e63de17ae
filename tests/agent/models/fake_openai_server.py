"""A scripted OpenAI-compatible Chat Completions server on 127.0.0.1, for tests with the real openai client.

    with FakeOpenAIServer([replies.tool_call("measure", {"a": 1}), replies.text("B")]) as server:
        model = OpenAIChatModel("fake-model", base_url=server.url)
        ...
        assert server.requests[0].body["tools"] == [...]

Each POST to /v1/chat/completions takes the next reply of the script (or `default` once it runs out; with
no default, an exhausted script answers 500 so a test fails loudly). A script entry is a `Reply` or a
callable taking the request body and returning one. Every request is recorded before it is answered, so a
stalled or failed request is still in `requests`.

Like OpenAI (and unlike a lenient mock), the server answers 400 when a `tool` message does not answer a
tool call of the assistant message before it, or carries an image (vLLM rejects images in `role: tool`).
Pass `validate=False` to turn that off. GET /v1/models lists `model_id`.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Body = dict[str, Any]


@dataclass
class Reply:
    status: int = 200
    body: Body | None = None  # for 200: the assistant message (role, content, tool_calls) and extras below
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # sleep before answering (a stalled server)
    finish_reason: str | None = None
    usage: Body | None = None


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: Body | None  # parsed JSON, None when the body was not JSON


ScriptEntry = Reply | Callable[[Body], Reply]


class replies:  # noqa: N801 - a namespace of Reply factories, read as `replies.text(...)`
    @staticmethod
    def text(content: str, *, reasoning_content: str | None = None, usage: Body | None = None) -> Reply:
        message: Body = {"role": "assistant", "content": content}
        if reasoning_content is not None:
            message["reasoning_content"] = reasoning_content
        return Reply(body=message, usage=usage)

    @staticmethod
    def tool_calls(
        calls: list[tuple[str, Body | str]], *, content: str | None = None, id_prefix: str = "call_"
    ) -> Reply:
        """Native tool calls; a str argument is sent verbatim (use it for malformed JSON)."""
        tool_calls = [
            {
                "id": f"{id_prefix}{i}",
                "type": "function",
                "function": {"name": name, "arguments": args if isinstance(args, str) else json.dumps(args)},
            }
            for i, (name, args) in enumerate(calls)
        ]
        return Reply(
            body={"role": "assistant", "content": content, "tool_calls": tool_calls},
            finish_reason="tool_calls",
        )

    @staticmethod
    def tool_call(name: str, arguments: Body | str) -> Reply:
        return replies.tool_calls([(name, arguments)])

    @staticmethod
    def malformed_tool_call(name: str, raw_arguments: str = '{"index": 1,') -> Reply:
        return replies.tool_calls([(name, raw_arguments)])

    @staticmethod
    def text_tool_call(name: str, arguments: Body, *, before: str = "", after: str = "") -> Reply:
        """A reply that leaves the call in the content, as Qwen2.5-VL does without a tool parser."""
        block = "<tool_call>\n" + json.dumps({"name": name, "arguments": arguments}) + "\n</tool_call>"
        return replies.text(f"{before}{block}{after}")

    @staticmethod
    def error(status: int, message: str, *, headers: dict[str, str] | None = None) -> Reply:
        body = {"error": {"message": message, "type": "fake_error", "param": None, "code": None}}
        return Reply(status=status, body=body, headers=headers or {})

    @staticmethod
    def rate_limited(retry_after: int = 1) -> Reply:
        return replies.error(429, "Rate limit reached", headers={"Retry-After": str(retry_after)})

    @staticmethod
    def server_error(status: int = 500) -> Reply:
        return replies.error(status, "The server had an error while processing your request.")

    @staticmethod
    def reject_tools() -> Reply:
        """vLLM's answer to `tools` when started without --enable-auto-tool-choice."""
        return replies.error(
            400, '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set'
        )

    @staticmethod
    def stall(seconds: float, then: Reply | None = None) -> Reply:
        reply = then or replies.text("too late")
        return Reply(reply.status, reply.body, reply.headers, seconds, reply.finish_reason, reply.usage)


def _tool_message_problem(messages: list[Body]) -> str | None:
    pending: set[str] = set()
    for message in messages:
        role = message.get("role")
        if role == "assistant":
            pending = {c.get("id") for c in message.get("tool_calls") or []}
        elif role == "tool":
            if message.get("tool_call_id") not in pending:
                return "messages with role 'tool' must be a response to a preceding message with 'tool_calls'"
            content = message.get("content")
            if isinstance(content, list) and any(p.get("type") != "text" for p in content):
                return "tool messages may contain text parts only"
        else:
            pending = set()
    return None


class FakeOpenAIServer:
    def __init__(
        self,
        script: Iterable[ScriptEntry] = (),
        *,
        default: ScriptEntry | None = None,
        model_id: str = "fake-model",
        validate: bool = True,
    ) -> None:
        self._script = list(script)
        self._default = default
        self.model_id = model_id
        self.validate = validate
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------------

    def start(self) -> FakeOpenAIServer:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes stalled handlers
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- what tests use ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL to give a client, ending in /v1."""
        assert self._httpd is not None, "start the server first"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def bodies(self) -> list[Body]:
        """The JSON bodies of the chat-completion requests, in order."""
        return [r.body or {} for r in self.requests if r.path.endswith("/chat/completions")]

    def add(self, *entries: ScriptEntry) -> None:
        with self._lock:
            self._script.extend(entries)

    # -- internals -----------------------------------------------------------------------------------

    def _next_reply(self, body: Body) -> Reply:
        with self._lock:
            entry = self._script.pop(0) if self._script else self._default
        if entry is None:
            return replies.error(500, "fake server: the script ran out of replies")
        return entry(body) if callable(entry) else entry

    def _answer(self, body: Body | None) -> Reply:
        if body is None:
            return replies.error(400, "the request body is not JSON")
        if self.validate:
            problem = _tool_message_problem(body.get("messages") or [])
            if problem:
                return replies.error(400, f"Invalid parameter: {problem}")
        reply = self._next_reply(body)
        if reply.delay_s:
            self._stopping.wait(reply.delay_s)
        if reply.status != 200 or reply.body is None:
            return reply
        message = reply.body
        completion = {
            "id": f"chatcmpl-fake-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.model_id),
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": reply.finish_reason
                    or ("tool_calls" if message.get("tool_calls") else "stop"),
                }
            ],
            "usage": reply.usage
            or {
                "prompt_tokens": 11,
                "completion_tokens": 7,
                "total_tokens": 18,
                "completion_tokens_details": {"reasoning_tokens": 0},
            },
        }
        return Reply(200, completion, reply.headers)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() must not wait for a handler stalled on purpose

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out closes its socket; the late write failing is expected


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAIServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def _record(self, body: Body | None) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        with self.fake._lock:
            self.fake.requests.append(RecordedRequest(self.command, self.path, headers, body))

    def _send(self, reply: Reply) -> None:
        data = json.dumps(reply.body if reply.body is not None else {}).encode()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._record(None)
        if self.path.rstrip("/").endswith("/models"):
            self._send(
                Reply(body={"object": "list", "data": [{"id": self.fake.model_id, "object": "model"}]})
            )
        else:
            self._send(replies.error(404, f"no route {self.path}"))

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = None
        self._record(body)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(replies.error(404, f"no route {self.path}"))
            return
        self._send(self.fake._answer(body))
