"""The local SciVideoBench-style set: official layout, determinism, gold answers checked against the
rendered pixels, the real microscopy clip, the cached bundled build, and the built-in policy on it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from agent.builtin.actions import Act, Answer
from agent.builtin.history import History
from agent.builtin.video_strategy import video_choice
from eval.items import ItemView
from eval.scivideo.bench import open_scivideo
from eval.scivideo.local import JSONL, Movie, build_local, plan_movies
from eval.scivideo.local import builder as local_builder
from eval.scivideo.local.plan import MOTIONS
from tools.base import REGISTRY, ToolContext
from tools.frames import tools as _register  # noqa: F401  (registers video_frames)
from tools.frames.video import frames_at_times, probe
from tools.images.registration import register

FIELDS = {
    "video_id",
    "question_id",
    "question",
    "options",
    "answer",
    "question_type",
    "discipline",
    "subject",
    "timestamp_breakdown",
    "video_duration",
}
TYPES = {"Conceptual Reasoning", "Hypothetical Reasoning", "Quantitative Reasoning"}
TIME = re.compile(r"\b(\d{2}):(\d{2})\b")
SIZE, FPS = 128, 4
MOVIES = [
    Movie("local-1acj-01", "1acj", "roll", "z", 30.0, fps=FPS, size=SIZE),
    Movie("local-1g9v-02", "1g9v", "move", "x", -1.5, fps=FPS, size=SIZE),
    Movie("local-1acj-03", "1acj", "roll", "y", 45.0, fps=FPS, size=SIZE),
]


def rows(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / JSONL).read_text().splitlines()]


def cited(question: str) -> list[int]:
    return [int(m) * 60 + int(s) for m, s in TIME.findall(question)]


def number(text: str) -> float:
    return float(re.search(r"\d+(?:\.\d+)?", text).group())


@pytest.fixture(scope="module")
def local_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("local-scivideo")
    summary = build_local(root, movies=MOVIES, ids=["1acj", "1g9v"], seed=3, workers=2)
    assert summary["movies"] == 3 and summary["questions"] == 11
    return root


def test_rows_have_the_official_fields_and_ten_options(local_set: Path) -> None:
    found = rows(local_set)
    assert {r["video_id"] for r in found} == {m.video_id for m in MOVIES} | {"local-trackpy-water"}
    for r in found:
        assert set(r) == FIELDS, r["question_id"]
        assert list(r["options"]) == list("ABCDEFGHIJ")
        assert len(set(r["options"].values())) == 10
        assert r["answer"] in r["options"] and r["question_type"] in TYPES
        assert isinstance(r["video_id"], str) and isinstance(r["video_duration"], float)
        times = cited(r["question"])
        if r["question_type"] == "Hypothetical Reasoning":  # asks about a time after the video ends
            assert min(times) == 0 and max(times) > r["video_duration"], r["question"]
        else:
            assert all(0 <= t < r["video_duration"] for t in times), r["question"]
    movie_types = [r["question_type"] for r in found if r["video_id"] == "local-1acj-01"]
    assert sorted(movie_types) == sorted(TYPES)
    assert len({r["question_id"] for r in found}) == len(found)
    # nothing that derives the gold reaches the rows
    assert not re.search(r"\b(roll|move) [xyz]\b", (local_set / JSONL).read_text())


def test_videos_decode_with_the_planned_frames_and_duration(local_set: Path) -> None:
    for movie in MOVIES:
        info = probe(local_set / "videos" / f"jove_{movie.video_id}.mp4")
        assert (info.n_frames, info.fps, info.width) == (movie.n_frames, FPS, SIZE)
        assert info.duration == pytest.approx(movie.duration)
        durations = {r["video_duration"] for r in rows(local_set) if r["video_id"] == movie.video_id}
        assert durations == {info.duration}


def test_same_seed_same_rows_and_another_seed_other_rows(tmp_path: Path) -> None:
    movie = [Movie("local-1acj-01", "1acj", "roll", "y", -45.0, fps=2, size=64)]
    built = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        build_local(tmp_path / name, movies=movie, ids=["1acj"], seed=seed, with_microscopy=False)
        built.append((tmp_path / name / JSONL).read_bytes())
    assert built[0] == built[1]
    assert built[0] != built[2]
    generation = [(tmp_path / name / "generation.json").read_bytes() for name in "ab"]
    assert generation[0] == generation[1]


def _frames(root: Path, video_id: str, times: list[int]):
    return frames_at_times(root / "videos" / f"jove_{video_id}.mp4", times)


def test_rotation_gold_is_the_angle_rendered_between_the_cited_times(local_set: Path) -> None:
    by_type = {r["question_type"]: r for r in rows(local_set) if r["video_id"] == "local-1acj-01"}
    q = by_type["Quantitative Reasoning"]
    t1, t2 = cited(q["question"])
    a, b = _frames(local_set, "local-1acj-01", [t1, t2])
    measured = register(a.image, b.image).rotation_deg
    assert measured > 0  # roll z +30°/s: counter-clockwise on screen
    assert number(q["options"][q["answer"]]) == pytest.approx(measured, abs=3.0)
    c = by_type["Conceptual Reasoning"]
    assert "counter-clockwise" in c["options"][c["answer"]]


def test_translation_gold_is_the_shift_rendered_between_the_cited_times(local_set: Path) -> None:
    by_type = {r["question_type"]: r for r in rows(local_set) if r["video_id"] == "local-1g9v-02"}
    q = by_type["Quantitative Reasoning"]
    width = float(re.search(r"the frame is (\d+(?:\.\d+)?) Å across", q["question"]).group(1))
    t1, t2 = cited(q["question"])
    a, b = _frames(local_set, "local-1g9v-02", [t1, t2])
    reg = register(a.image, b.image)
    dx, dy = (v * width / SIZE for v in reg.shift_px)
    assert dx < 0 and abs(dy) < 0.3  # move x -1.5 Å/s: to the left
    assert number(q["options"][q["answer"]]) == pytest.approx(-dx, abs=0.3)
    h = by_type["Hypothetical Reasoning"]
    until = max(cited(h["question"]))
    assert h["options"][h["answer"]].endswith("to the left")
    assert number(h["options"][h["answer"]]) == pytest.approx(-dx / (t2 - t1) * until, abs=0.5)


def test_microscopy_clip_decodes_to_its_24_frames(local_set: Path) -> None:
    info = probe(local_set / "videos" / "jove_local-trackpy-water.mp4")
    assert (info.n_frames, info.width, info.height) == (24, 640, 424)
    assert info.duration == pytest.approx(1.0)
    golds = {r["question_id"]: r["options"][r["answer"]] for r in rows(local_set)}
    assert golds["local-trackpy-water-q1"] == "24 frames"
    assert golds["local-trackpy-water-q2"] == "about 225 µm"  # 640 px / 2.85 px per µm = 224.6 µm
    assert (local_set / "videos" / "PROVENANCE-microscopy.md").is_file()


def test_plan_uses_every_motion_and_depends_only_on_the_seed() -> None:
    ids = ["1acj", "1g9v", "2reg", "3o1h", "4agl", "6w70"]
    plan = plan_movies(ids, seed=0, count=10)
    assert plan == plan_movies(list(reversed(ids)), seed=0, count=10)
    assert plan != plan_movies(ids, seed=1, count=10)
    assert {(m.verb, m.axis) for m in plan} == set(MOTIONS)
    assert all(sum(1 for m in plan if (m.verb, m.axis) == kind) == 2 for kind in MOTIONS)
    assert all(m.axis not in m.video_id.split("-")[-1] for m in plan)


def test_bundled_dir_builds_once_and_never_leaves_half_a_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MOLSPATIAL_CACHE", str(tmp_path))  # not the session cache another test may fill
    calls: list[Path] = []

    def fake_build(out: Path, **_: object) -> dict:
        calls.append(out)
        (out / "videos").mkdir(parents=True)
        if len(calls) == 1:
            raise RuntimeError("crash mid-build")
        (out / JSONL).write_text("{}\n")
        return {}

    monkeypatch.setattr(local_builder, "build_local", fake_build)
    with pytest.raises(RuntimeError):
        local_builder.bundled_dir()
    parent = calls[0].parent
    assert parent == tmp_path / "scivideo" and list(parent.iterdir()) == []  # a crash leaves nothing
    root = local_builder.bundled_dir()
    assert root.parent == parent and root.name.startswith("local-") and (root / JSONL).is_file()
    assert local_builder.bundled_dir() == root and len(calls) == 2


def _policy_answer(root: Path, item: ItemView, tmp_path: Path) -> str | None:
    """Run the policy against the real tools until it answers."""
    offered = {"video_frames", "compare_frames"}
    messages: list[dict] = []
    for turn in range(4):
        action = video_choice(item, offered, History(messages))
        if isinstance(action, Answer):
            return action.answer
        assert isinstance(action, Act)
        calls = [
            {"id": f"c{turn}{i}", "function": {"name": c.name, "arguments": json.dumps(c.args)}}
            for i, c in enumerate(action.calls)
        ]
        messages.append({"role": "assistant", "tool_calls": calls})
        for call, c in zip(calls, action.calls):
            ctx = ToolContext(item=item, bench_dir=root, workdir=tmp_path / "tools")
            result = REGISTRY[c.name].run(ctx, c.args)
            text = result.text if result.ok else f"ERROR: {result.text}"
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": text})
    raise AssertionError("the policy never answered")


def test_the_scivideo_loader_reads_the_set_and_the_policy_answers_what_tools_settle(
    local_set: Path, tmp_path: Path
) -> None:
    bench = open_scivideo(local_set)
    items = bench.items()
    assert len(items) == len(rows(local_set))
    for item in items:
        answer = _policy_answer(bench.root, item.view(), tmp_path)
        if item.metadata["video_id"] == "local-1acj-03":  # a turn about y: not an in-plane motion
            assert answer is None, item.metadata["question_id"]
        else:
            assert answer == item.gold, (item.metadata["question_id"], item.prompt)
