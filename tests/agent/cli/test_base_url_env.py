"""OPENAI_BASE_URL: honoured after --base-url, and the URL used is the one the run manifest records."""

import json

import pytest

from agent.model_choice import default_model_name, make_model
from agent.models import OpenAIChatModel
from tests.agent.cli.clirun import run_agent
from tests.agent.models.fake_openai_server import replies


def test_the_client_takes_the_environment_url_unless_one_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1/")
    assert OpenAIChatModel("m").base_url == "http://127.0.0.1:9/v1"
    assert OpenAIChatModel("m", base_url="http://127.0.0.1:8/v1").base_url == "http://127.0.0.1:8/v1"
    assert make_model("m").base_url == "http://127.0.0.1:9/v1"
    # A configured server means a model must be named: no silent fallback to the offline policy.
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert default_model_name(None) is None
    monkeypatch.delenv("OPENAI_BASE_URL")
    assert default_model_name(None) == "builtin:tool-policy"


def test_run_reaches_the_environment_url_and_records_it(small_bench, fake_openai, tmp_path) -> None:
    server = fake_openai(default=replies.text("Final answer: move x 1"))
    run_dir = tmp_path / "run"
    args = ["run", "--data", str(small_bench), "--tasks", "T1", "--limit", "1", "--mode", "direct"]
    done = run_agent(
        *args, "--model", "fake-vlm", "--max-retries", "0", "--run-dir", str(run_dir),
        env={"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "k"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(server.requests) == 1 and server.requests[0].body["model"] == "fake-vlm"
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["base_url"] == server.url.rstrip("/")

    # --base-url wins over the environment: a dead URL in the environment is never tried.
    other = tmp_path / "other"
    done = run_agent(
        *args, "--model", "fake-vlm", "--max-retries", "0", "--run-dir", str(other), "--base-url", server.url,
        env={"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_API_KEY": "k"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(server.requests) == 2
    assert json.loads((other / "manifest.json").read_text())["base_url"] == server.url.rstrip("/")
