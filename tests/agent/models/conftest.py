"""The `fake_openai` fixture: start scripted OpenAI-compatible servers on loopback, stopped after the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.agent.models.fake_openai_server import FakeOpenAIServer, ScriptEntry


@pytest.fixture()
def fake_openai() -> Iterator[Callable[..., FakeOpenAIServer]]:
    """`fake_openai(reply, reply, ..., default=None, validate=True)` returns a started server."""
    servers: list[FakeOpenAIServer] = []

    def start(
        *script: ScriptEntry, default: ScriptEntry | None = None, validate: bool = True
    ) -> FakeOpenAIServer:
        server = FakeOpenAIServer(script, default=default, validate=validate).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
