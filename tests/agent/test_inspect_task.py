"""`inspect eval agent/inspect_task.py`: the project's agent inside Inspect's agent_bridge(), against the
scripted server as Inspect's `openai/...` model; what the server receives is what the agent sent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.agent.models.fake_openai_server import FakeOpenAIServer, Reply, replies

inspect_log = pytest.importorskip("inspect_ai.log")
ROOT = Path(__file__).resolve().parents[2]
TASK_FILE = "agent/inspect_task.py"  # relative: Inspect resolves task files from the working directory
CROP = "crop_image"


def _script(body: dict) -> Reply:
    if not any(m["role"] == "tool" for m in body["messages"]):
        return replies.tool_call(CROP, {"image": 2, "box": [0.25, 0.25, 0.75, 0.75]})
    usage = {"prompt_tokens": 50, "completion_tokens": 9, "total_tokens": 59}
    return replies.text("Cropped and compared.\nFinal answer: move x 1", usage=usage)


def _parts(message: dict) -> list[dict]:
    content = message.get("content")
    return [{"type": "text", "text": content}] if isinstance(content, str) else list(content or [])


def test_inspect_eval_runs_the_agent_through_the_bridge(small_bench: Path, tmp_path: Path) -> None:
    with FakeOpenAIServer(default=_script) as server:
        done = subprocess.run(
            [
                sys.executable, "-m", "inspect_ai", "eval", TASK_FILE,
                "--model", "openai/fake-vlm", "--model-base-url", server.url,
                "-T", f"data={small_bench}", "-T", "tasks=T1", "-T", "limit=1", "-T", "mode=tools",
                "-T", "access=images", "--log-dir", str(tmp_path / "logs"), "--display", "none",
                "--max-retries", "0", "-M", "responses_api=false",
            ],
            capture_output=True, text=True, timeout=900, cwd=ROOT,
            env={**os.environ, "OPENAI_API_KEY": "sk-test-bridge"},
        )  # fmt: skip
        requests = list(server.requests)
    assert done.returncode == 0, done.stderr[-3000:]

    # The server received the agent's conversation, not an empty message list.
    assert [r.path for r in requests] == ["/v1/chat/completions"] * 2, [(r.path, r.body) for r in requests]
    first, second = (r.body for r in requests)
    assert first["model"] == "fake-vlm"
    user = next(m for m in first["messages"] if m["role"] == "user")
    texts = " ".join(p.get("text", "") for p in _parts(user))
    images = [p for p in _parts(user) if p["type"] == "image_url"]
    assert "PDB ID" in texts and len(images) >= 4
    assert all(p["image_url"]["url"].startswith("data:image/png;base64,") for p in images)
    assert CROP in [t["function"]["name"] for t in first.get("tools", [])]

    tool_messages = [m for m in second["messages"] if m["role"] == "tool"]
    assert len(tool_messages) == 1 and tool_messages[0]["tool_call_id"] == "call_0"
    result = " ".join(p.get("text", "") for p in _parts(tool_messages[0]))
    assert result.strip()  # the crop tool's JSON result reached the model
    later_images = [
        p for m in second["messages"][second["messages"].index(tool_messages[0]) :] for p in _parts(m)
        if p["type"] == "image_url"
    ]  # fmt: skip
    assert later_images, "the cropped image should follow the tool message"

    # Inspect's own log: the sample, scored by the project's judge.
    (log_file,) = (tmp_path / "logs").glob("*.eval")
    log = inspect_log.read_eval_log(str(log_file))
    assert log.status == "success" and log.eval.model == "openai/fake-vlm"
    (sample,) = log.samples
    gold = sample.target
    assert sample.scores["exact_match"].value == (1.0 if gold == "move x 1" else 0.0)
    assert sample.scores["score"].metadata["status"] in ("correct", "wrong")
    assert sample.scores["score"].answer == "move x 1"
    # Inspect logged both bridged model calls, the second one with the tool's result in its input.
    models = [e for e in sample.events if e.event == "model"]
    assert len(models) == 2
    assert any(m.role == "tool" for m in models[1].input)
