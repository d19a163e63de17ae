"""Solving a SciVideoBench item: the frames sent with the question, recorded in the trace, per protocol."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path

import pytest
from PIL import Image

from agent.builtin.random_model import RandomModel
from agent.models import OpenAIChatModel
from agent.solver import solve_item
from eval.scivideo import SciVideoBenchmark, open_scivideo
from eval.scivideo.protocol import item_prompt, official_indices
from eval.settings import SolveSettings
from eval.trace import Trace
from tests.agent.cli.clirun import run_agent
from tests.agent.models.fake_openai_server import replies
from tests.scivideo_support import make_release, row


@pytest.fixture()
def release(tmp_path: Path) -> Path:
    return make_release(tmp_path / "release", [row(), row(question="What moves at 00:00?", answer="B")])


def _solve(
    bench: SciVideoBenchmark, model, workdir: Path, item_id: str = "scivideo-0000", **settings
) -> Trace:
    return asyncio.run(solve_item(bench.item(item_id), bench, model, SolveSettings(**settings), workdir))


def _parts(body: dict) -> tuple[str, list[str], list[dict]]:
    user = next(m for m in body["messages"] if m["role"] == "user")
    texts = [p["text"] for p in user["content"] if p["type"] == "text"]
    images = [p for p in user["content"] if p["type"] == "image_url"]
    return texts[0], texts[1:], images


def test_frames_sent_are_recorded_with_index_time_path_and_hash(release: Path, tmp_path: Path) -> None:
    bench = open_scivideo(release)
    work = tmp_path / "work"
    trace = _solve(bench, RandomModel(0), work, mode="direct", frames=8)
    assert [f["index"] for f in trace.frames] == [0, 3, 7, 10, 13, 16, 20, 23]  # round(linspace(0, 23, 8))
    assert [f["time"] for f in trace.frames] == pytest.approx(
        [i / 24 for i in (0, 3, 7, 10, 13, 16, 20, 23)], abs=1e-5
    )
    model_step = trace.steps[0]
    assert model_step.kind == "model" and model_step.images_sent == 8
    assert [im.sha256 for im in trace.messages[0].images] == [f["sha256"] for f in trace.frames]
    for f in trace.frames:
        path = Path(f["path"])
        assert (
            path.is_relative_to(work / "frames")
            and hashlib.sha256(path.read_bytes()).hexdigest() == f["sha256"]
        )
        assert Image.open(path).size == (512, 339)  # 640x424 frames, long side capped at 512
    assert sorted(p.name for p in release.rglob("*")) == ["jove_58827.mp4", "scivideobench.jsonl", "videos"]
    assert trace.messages[0].text == bench.item("scivideo-0000").prompt and trace.parseable
    again = _solve(bench, RandomModel(0), work, mode="direct", frames=8)  # frames reused, same files
    assert again.frames == trace.frames


def test_official_protocol_request(release: Path, tmp_path: Path, fake_openai) -> None:
    server = fake_openai(replies.text("Based on the frames, D."))
    bench = open_scivideo(release)
    model = OpenAIChatModel("fake-vlm", base_url=server.url, max_retries=0, timeout=20)
    trace = _solve(bench, model, tmp_path / "work", mode="direct", protocol="official", frames=4)
    (body,) = server.bodies
    text, labels, images = _parts(body)
    assert body["max_tokens"] == 16
    assert text == item_prompt(bench.item("scivideo-0000"), "official", "direct")[0]
    assert "between frame 142 and frame 153?" in text
    assert len(images) == 32 and labels == [f"Frame {k}:" for k in range(1, 33)]  # no times in official
    assert [f["index"] for f in trace.frames] == official_indices(24)
    assert (trace.parsed, trace.parse_method, trace.score) == ("B", "official_first_letter", 0.0)
    assert trace.protocol == "official" and trace.column == "Conceptual Reasoning"


def test_default_protocol_request(release: Path, tmp_path: Path, fake_openai) -> None:
    server = fake_openai(replies.text("The chamber stays sealed.\n\nD"), replies.text("Hmm, hard to tell."))
    bench = open_scivideo(release)
    model = OpenAIChatModel("fake-vlm", base_url=server.url, max_retries=0, timeout=20)
    trace = _solve(bench, model, tmp_path / "work", mode="direct", frames=6)
    text, labels, images = _parts(server.bodies[0])
    assert "max_tokens" not in server.bodies[0] and text == bench.item("scivideo-0000").prompt
    assert len(images) == 6 and labels[1] == "Frame 2 (00:00.2):"  # index 5 of 24 fps
    assert (trace.parsed, trace.parse_method, trace.score, trace.status) == ("D", "bare_line", 1.0, "correct")
    cot = _solve(bench, model, tmp_path / "work", mode="cot", frames=6)
    assert "Answer the given question step-by-step" in _parts(server.bodies[1])[0]
    assert "max_tokens" not in server.bodies[1] and cot.status == "unparseable" and cot.parsed is None


def test_tools_mode_offers_frame_tools_and_records_tool_frames(
    release: Path, tmp_path: Path, fake_openai
) -> None:
    server = fake_openai(
        replies.tool_call("video_frames", {"times": ["00:00.5", "00:00"], "max_side": 256}),
        replies.text("Final answer: B"),
    )
    bench = open_scivideo(release)
    model = OpenAIChatModel("fake-vlm", base_url=server.url, max_retries=0, timeout=20)
    trace = _solve(bench, model, tmp_path / "work", "scivideo-0001", mode="tools", frames=4)
    first = server.bodies[0]
    names = {t["function"]["name"] for t in first["tools"]}
    assert {"video_frames", "contact_sheet", "compare_frames"} <= names
    assert not names & {"crop_image", "compare_images"}  # they address item images, which video items lack
    assert (
        first["messages"][0]["role"] == "system"
        and "videos of scientific experiments" in first["messages"][0]["content"]
    )
    text = _parts(first)[0]
    assert (
        text.startswith("What moves at 00:00?\nA. ")
        and "The 4 frames below" in text
        and "video_frames" in text
    )
    opening = [f for f in trace.frames if f["source"] == "opening"]
    tool = [f for f in trace.frames if f["source"] == "tool"]
    assert len(opening) == 4 and [(f["index"], f["time"]) for f in tool] == [(12, 0.5), (0, 0.0)]
    assert all(Path(f["path"]).is_file() for f in tool)
    assert trace.parsed == "B" and trace.exact_match


def test_cli_solves_a_release_item(release: Path, tmp_path: Path) -> None:
    proc = run_agent(
        "solve", "--item", "scivideo-0000", "--data", str(release), "--model", "builtin:random",
        "--mode", "direct", "--protocol", "official", "--out", str(tmp_path),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    trace = Trace.model_validate_json(next(tmp_path.glob("scivideo-0000.direct.official.*.json")).read_text())
    assert len(trace.frames) == 32 and trace.protocol == "official"
    assert json.loads(trace.model_dump_json())["settings"]["frames"] == 32
    missing = run_agent("solve", "--item", "scivideo-0000", "--data", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no such file or directory" in missing.stderr
    (release / "videos" / "jove_58827.mp4").unlink()
    gone = run_agent("solve", "--item", "scivideo-0000", "--data", str(release), "--model", "builtin:random")
    assert gone.returncode == 2 and "Traceback" not in gone.stderr and "jove_58827.mkv" in gone.stderr
