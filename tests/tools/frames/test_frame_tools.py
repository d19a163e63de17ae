"""video_frames and contact_sheet as the model calls them: results and readable errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from eval.items import ItemImage, ItemView
from tests.support import item_view
from tools.base import REGISTRY, ToolContext
from tools.frames import tools as _register  # noqa: F401  (registers the tools)
from tools.frames.video import encode_mp4
from tools.refs import VideoRef

FRAMES = Path(__file__).resolve().parents[3] / "eval" / "data" / "videos" / "trackpy_bulk_water"


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bench")
    sources = [Image.open(p).convert("RGB") for p in sorted(FRAMES.glob("bulk_water_*.png"))]
    encode_mp4(sources, root / "videos" / "bulk_water.mp4", fps=24)
    return root


def make_item(video: str | None, images: list[str] | None = None) -> ItemView:
    return item_view(
        id="v-1",
        benchmark="scivideo",
        task="video",
        images=[ItemImage(path=p, role="input", view=f"view {i}") for i, p in enumerate(images or [], 1)],
        options={"A": "x", "B": "y"},
        answer_format="choice",
        video=VideoRef(path=video) if video else None,
    )


def run(bench: Path, tmp_path: Path, name: str, args: dict, item: ItemView) -> tuple[bool, str, list[str]]:
    ctx = ToolContext(item=item, bench_dir=bench, workdir=tmp_path / "out")
    result = REGISTRY[name].run(ctx, args)
    return result.ok, result.text, result.images


def test_frames_at_times(bench: Path, tmp_path: Path) -> None:
    item = make_item("videos/bulk_water.mp4")
    ok, text, images = run(
        bench, tmp_path, "video_frames", {"times": ["00:00.5", 0.25], "max_side": 320}, item
    )
    assert ok, text
    data = json.loads(text)
    assert [(f["index"], f["timestamp"], f["requested"]) for f in data["frames"]] == [
        (12, "00:00.5", "00:00.5"),
        (6, "00:00.2", 0.25),
    ]
    assert data["video"]["n_frames"] == 24
    assert [Image.open(p).size for p in images] == [(320, 212)] * 2


def test_uniform_and_indices(bench: Path, tmp_path: Path) -> None:
    item = make_item("videos/bulk_water.mp4")
    ok, text, images = run(bench, tmp_path, "video_frames", {"uniform": 4}, item)
    assert ok and [f["index"] for f in json.loads(text)["frames"]] == [0, 8, 15, 23] and len(images) == 4
    ok, text, _ = run(bench, tmp_path, "video_frames", {"indices": [23, 0]}, item)
    assert ok and [f["index"] for f in json.loads(text)["frames"]] == [23, 0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"times": ["00:02"]}, "valid times are 0 to 1 s"),
        ({"times": ["1:75"]}, "mm:ss"),
        ({"indices": [30]}, "0 to 23"),
        ({"times": ["00:00"], "indices": [1]}, "exactly one"),
        ({}, "exactly one"),
        ({"indices": []}, "1 to 32"),
        ({"uniform": 100}, "bad arguments"),
    ],
)
def test_video_frames_errors(bench: Path, tmp_path: Path, args: dict, message: str) -> None:
    ok, text, images = run(bench, tmp_path, "video_frames", args, make_item("videos/bulk_water.mp4"))
    assert not ok and not images
    assert message in text


def test_item_without_video(bench: Path, tmp_path: Path) -> None:
    ok, text, _ = run(bench, tmp_path, "video_frames", {"uniform": 2}, make_item(None))
    assert not ok and "no video" in text


def test_missing_video_file(bench: Path, tmp_path: Path) -> None:
    ok, text, _ = run(bench, tmp_path, "video_frames", {"uniform": 2}, make_item("videos/none.mp4"))
    assert not ok and "missing" in text


def test_contact_sheet_of_video(bench: Path, tmp_path: Path) -> None:
    ok, text, images = run(
        bench, tmp_path, "contact_sheet", {"frames": 6}, make_item("videos/bulk_water.mp4")
    )
    assert ok, text
    data = json.loads(text)
    assert [f["index"] for f in data["frames"]] == [0, 5, 9, 14, 18, 23]
    assert len(images) == 1 and Image.open(images[0]).width > 3 * 300


def test_contact_sheet_of_images(tmp_path: Path) -> None:
    names = [f"bulk_water_{i:03d}.png" for i in (0, 1, 2)]
    item = make_item(None, names)
    ok, text, images = run(FRAMES, tmp_path, "contact_sheet", {"images": [3, 1]}, item)
    assert ok and json.loads(text)["images"] == [3, 1] and len(images) == 1
    ok, text, _ = run(FRAMES, tmp_path, "contact_sheet", {"images": [1, 7]}, item)
    assert not ok and "images 1 to 3" in text
    ok, text, _ = run(FRAMES, tmp_path, "contact_sheet", {}, make_item(None))
    assert not ok and "no images and no video" in text
