"""`agent export inspect`: a real run (the CLI against the scripted server) read back by Inspect's reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.run.results import latest
from tests.agent.cli.clirun import run_agent
from tests.agent.models.fake_openai_server import Reply, replies

inspect_log = pytest.importorskip("inspect_ai.log")
USAGE = {"prompt_tokens": 120, "completion_tokens": 7}


def _text(message: dict) -> str:
    content = message.get("content") or ""
    return content if isinstance(content, str) else " ".join(p.get("text", "") for p in content)


def _script(body: dict) -> Reply:
    """tools: crop an image, then answer. direct: 1ACJ gets prose (unparseable), the other a server error."""
    messages = body["messages"]
    question = next(_text(m) for m in messages if m["role"] == "user")
    if body.get("tools"):
        if not any(m["role"] == "tool" for m in messages):
            return replies.tool_call("crop_image", {"image": 1, "box": [0, 0, 0.5, 0.5]})
        return replies.text("The crop shows the shift.\nFinal answer: move x 1", usage=USAGE)
    if "1ACJ" in question:
        return replies.text("I cannot tell from these images.", usage=USAGE)
    return replies.server_error(500)


@pytest.fixture(scope="module")
def exported(small_bench: Path, tmp_path_factory: pytest.TempPathFactory):
    from tests.agent.models.fake_openai_server import FakeOpenAIServer

    root = tmp_path_factory.mktemp("export")
    with FakeOpenAIServer(default=_script) as server:
        run = root / "run"
        done = run_agent(
            "run", "--data", str(small_bench), "--tasks", "T1", "--mode", "direct,tools",
            "--access", "images", "--model", "fake-vlm", "--base-url", server.url, "--max-retries", "0",
            "--run-dir", str(run),
            env={"OPENAI_API_KEY": "sk-test-export-0123"},
        )  # fmt: skip
        assert done.returncode == 1, done.stderr  # one item errored, as scripted
        url = server.url
    out = root / "logs"
    done = run_agent("export", "inspect", str(run), "--out", str(out))
    assert done.returncode == 0, done.stderr
    logs = {}
    for path in sorted(out.glob("*.eval")):
        log = inspect_log.read_eval_log(str(path))
        logs[log.eval.task_args["mode"]] = log
    return run, url, logs


def test_one_log_per_mode_with_inspect_model_names_and_scores(exported) -> None:
    run, url, logs = exported
    assert set(logs) == {"direct", "tools"}
    lines = latest(run / "results.jsonl")
    for mode, log in logs.items():
        assert log.status == "success"
        assert log.eval.model == "openai/fake-vlm" and log.eval.model_base_url == url.rstrip("/")
        assert {s.id for s in log.samples} == {i for m, i in lines if m == mode}
        for sample in log.samples:
            line = lines[(mode, sample.id)]
            meta = sample.scores["score"].metadata
            assert meta["status"] == line.status and meta["parse_method"] == line.parse_method
            answered = line.status in ("correct", "wrong")
            assert sample.scores["score"].value == (line.score if answered else 0.0)
            assert sample.target == line.gold
        means = {s.name: s.metrics["mean"].value for s in log.results.scores}
        assert means["score"] == pytest.approx(
            sum(s.scores["score"].value for s in log.samples) / len(log.samples)
        )
    direct = {s.id: s for s in logs["direct"].samples}
    statuses = sorted(s.scores["exact_match"].metadata["status"] for s in direct.values())
    assert statuses == ["error", "unparseable"]
    errored = next(s for s in direct.values() if s.scores["score"].metadata["status"] == "error")
    assert errored.error is not None and "HTTP 500" in errored.error.message
    unparseable = next(s for s in direct.values() if s.scores["score"].metadata["unparseable"])
    assert unparseable.scores["score"].answer is None
    assert unparseable.model_usage["openai/fake-vlm"].input_tokens == USAGE["prompt_tokens"]


def test_events_in_order_with_the_prompt_images_and_the_tool_result(exported) -> None:
    _, _, logs = exported
    for sample in logs["tools"].samples:
        kinds = [e.event for e in sample.events]
        assert kinds == ["model", "tool", "model", "score", "score"]
        first, tool, second = sample.events[:3]
        assert first.model == "openai/fake-vlm" and "crop_image" in [t.name for t in first.tools]
        assert first.output.message.tool_calls[0].function == "crop_image"
        assert tool.function == "crop_image" and tool.arguments == {"image": 1, "box": [0, 0, 0.5, 0.5]}
        assert tool.error is None and tool.result
        assert first.timestamp <= tool.timestamp <= second.timestamp
        assert "Final answer: move x 1" in second.output.completion
        assert sample.scores["score"].answer == "move x 1"

        resolved = inspect_log.resolve_sample_attachments(sample)
        user = next(m for m in resolved.input if m.role == "user")
        images = [c.image for c in user.content if c.type == "image"]
        assert images and all(i.startswith("data:image/png;base64,") for i in images)
        assert "PDB ID" in user.text
        # the cropped image the tool returned reaches the next request, and the log
        later = [m for m in resolved.messages[len(resolved.input) :] if m.role == "user"]
        assert any(c.type == "image" for m in later for c in m.content if not isinstance(m.content, str))
        assert len(second.input) > len(first.input)


def test_export_errors_are_one_line(tmp_path) -> None:
    done = run_agent("export", "inspect", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: run {tmp_path / 'missing'}: no such directory"
    (tmp_path / "empty").mkdir()
    done = run_agent("export", "inspect", str(tmp_path / "empty"))
    assert done.returncode == 2 and "not a run directory" in done.stderr and "Traceback" not in done.stderr
