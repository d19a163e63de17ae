"""The graph over the real openai client and real HTTP, against a scripted server on 127.0.0.1."""

import asyncio
import json
from pathlib import Path

import pytest

from agent.models import OpenAIChatModel
from agent.solver import solve_item
from eval.misi.bench import MisiBenchmark as Benchmark
from eval.settings import SolveSettings
from tests.agent.models.fake_openai_server import replies


def _solve(bench_dir: Path, item_id: str, server, tmp_path: Path, **settings):
    bench = Benchmark(bench_dir)
    model = OpenAIChatModel("fake-vlm", base_url=server.url, max_retries=1, timeout=20)
    return asyncio.run(solve_item(bench.item(item_id), bench, model, SolveSettings(**settings), tmp_path))


def _image_parts(message: dict) -> list[dict]:
    content = message.get("content")
    return [p for p in content if p.get("type") == "image_url"] if isinstance(content, list) else []


def test_tool_round_trip_sends_images_schemas_and_paired_ids(small_bench, fake_openai, tmp_path) -> None:
    server = fake_openai(
        replies.tool_call("compare_images", {"a": 1, "b": 4}), replies.text("Final answer: move x 2")
    )
    trace = _solve(small_bench, "misi-T1-1acj-0", server, tmp_path, mode="tools", access="structure")
    first, second = server.bodies
    user = next(m for m in first["messages"] if m["role"] == "user")
    assert len(_image_parts(user)) == 4 and all(
        p["image_url"]["url"].startswith("data:image/png;base64,") for p in _image_parts(user)
    )
    names = {t["function"]["name"] for t in first["tools"]}
    assert {"compare_images", "test_poses", "render_view", "interaction_profile"} <= names
    assert all("strict" not in t["function"] for t in first["tools"]) and "tool_choice" not in first
    call_id = next(m for m in second["messages"] if m["role"] == "assistant")["tool_calls"][0]["id"]
    tool_msg = next(m for m in second["messages"] if m["role"] == "tool")
    assert tool_msg["tool_call_id"] == call_id and isinstance(tool_msg["content"], str)
    assert json.loads(tool_msg["content"].split("\n[")[0])["a"] == 1
    # the comparison's images come back in a user message after the tool message, never inside it
    last_user = [m for m in second["messages"] if m["role"] == "user"][-1]
    assert len(_image_parts(last_user)) == 2
    assert trace.parsed == "move x 2" and trace.parse_method == "command"
    assert [s.kind for s in trace.steps] == ["model", "tool", "model"]
    assert trace.steps[1].ok and trace.steps[1].images


def test_malformed_arguments_come_back_as_a_tool_error(small_bench, fake_openai, tmp_path) -> None:
    server = fake_openai(
        replies.malformed_tool_call("compare_images"), replies.text("Final answer: move y -1")
    )
    trace = _solve(small_bench, "misi-T1-1acj-0", server, tmp_path, mode="tools")
    tool_msg = next(m for m in server.bodies[1]["messages"] if m["role"] == "tool")
    assert tool_msg["content"].startswith("ERROR: compare_images: arguments are not valid JSON")
    assert trace.steps[1].ok is False and trace.parsed == "move y -1"


def test_unknown_tool_is_reported_to_the_model(small_bench, fake_openai, tmp_path) -> None:
    server = fake_openai(
        replies.tool_call("read_file", {"path": "/etc/passwd"}), replies.text("Final answer: B")
    )
    _solve(small_bench, "misi-T1-1acj-0", server, tmp_path, mode="tools")
    tool_msg = next(m for m in server.bodies[1]["messages"] if m["role"] == "tool")
    assert "unknown tool 'read_file'" in tool_msg["content"]


def test_turn_limit_forces_a_final_answer_without_tools(small_bench, fake_openai, tmp_path) -> None:
    server = fake_openai(default=replies.tool_call("structure_summary", {}))
    trace = _solve(small_bench, "misi-T1-1acj-0", server, tmp_path, mode="tools", max_turns=3)
    assert len(server.bodies) == 3
    assert "tools" in server.bodies[1] and "tools" not in server.bodies[2]
    assert "Do not call any more tools" in json.dumps(server.bodies[2]["messages"][-1])
    assert trace.limits_hit == ["max_turns=3"]
    assert trace.status == "unparseable"


def test_server_error_is_recorded_not_raised(small_bench, fake_openai, tmp_path) -> None:
    server = fake_openai(default=replies.server_error(500))
    trace = _solve(small_bench, "misi-T1-1acj-0", server, tmp_path, mode="direct")
    assert trace.status == "error" and "500" in trace.error
    assert trace.score == 0.0


def test_text_protocol_fallback_is_recorded(small_bench, fake_openai, tmp_path) -> None:
    server = fake_openai(
        replies.reject_tools(),
        replies.text_tool_call("structure_summary", {}),
        replies.text("Final answer: move x 1"),
    )
    trace = _solve(small_bench, "misi-T1-1acj-0", server, tmp_path, mode="tools")
    model_steps = [s for s in trace.steps if s.kind == "model"]
    assert model_steps[0].tool_path == "text" and trace.steps[1].name == "structure_summary"
    assert "tools" not in server.bodies[-1]
    assert "<tool_call>" in json.dumps(server.bodies[-1]["messages"])


def test_direct_and_cot_modes_offer_no_tools(small_bench, fake_openai, tmp_path) -> None:
    server = fake_openai(replies.text("move x 1"), replies.text("Reasoning...\nFinal answer: move x 1"))
    direct = _solve(small_bench, "misi-T1-1acj-0", server, tmp_path, mode="direct")
    cot = _solve(small_bench, "misi-T1-1acj-0", server, tmp_path, mode="cot")
    assert "tools" not in server.bodies[0] and "tools" not in server.bodies[1]
    assert "Final answer:" in json.dumps(server.bodies[1]["messages"]) and "modes/cot" in cot.mode_prompts
    assert direct.parsed == cot.parsed == "move x 1"


def test_image_cap_drops_tool_images_first(small_bench, fake_openai, tmp_path) -> None:
    server = fake_openai(
        replies.tool_call("compare_images", {"a": 1, "b": 4}),
        replies.text("Final answer: move x 1"),
    )
    trace = _solve(small_bench, "misi-T1-1acj-0", server, tmp_path, mode="tools", max_images=5)
    sent = sum(len(_image_parts(m)) for m in server.bodies[1]["messages"])
    assert sent == 5
    step = [s for s in trace.steps if s.kind == "model"][1]
    assert len(step.dropped_images) == 1 and "tool-images" in step.dropped_images[0]


def test_secret_never_reaches_the_trace(small_bench, fake_openai, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-SECRET-123")
    server = fake_openai(replies.text("Final answer: move x 1"))
    trace = _solve(small_bench, "misi-T1-1acj-0", server, tmp_path, mode="direct")
    assert "SECRET" not in trace.model_dump_json()
    assert server.requests[0].headers["authorization"].endswith("SECRET-123")


@pytest.mark.parametrize("item_id", ["misi-T1-1acj-0", "misi-T3-1g9v-0"])
def test_builtin_policy_solves_with_structure_access(small_bench, tmp_path, item_id) -> None:
    from agent.builtin import ToolPolicyModel

    bench = Benchmark(small_bench)
    settings = SolveSettings(mode="tools", access="structure")
    trace = asyncio.run(solve_item(bench.item(item_id), bench, ToolPolicyModel(), settings, tmp_path))
    assert trace.exact_match, (trace.parsed, trace.gold)
    assert trace.n_tool_calls >= 1 and all(s.ok for s in trace.steps if s.kind == "tool")
