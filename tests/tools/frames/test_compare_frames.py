"""compare_frames: two moments of the item's video, measured against each other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from tests.support import item_view
from tools.base import REGISTRY, ToolContext
from tools.frames import tools as _register  # noqa: F401  (registers the tools)
from tools.frames.video import encode_mp4
from tools.refs import VideoRef

FRAMES = Path(__file__).resolve().parents[3] / "eval" / "data" / "videos" / "trackpy_bulk_water"


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> ToolContext:
    root = tmp_path_factory.mktemp("bench")
    images = [Image.open(p).convert("RGB") for p in sorted(FRAMES.glob("bulk_water_*.png"))]
    images = images[:12] + [im.transform(im.size, Image.AFFINE, (1, 0, -8, 0, 1, 5)) for im in images[12:]]
    encode_mp4(images, root / "clip.mp4", fps=24)
    item = item_view(benchmark="scivideo", answer_format="choice", video=VideoRef(path="clip.mp4"))
    return ToolContext(item=item, bench_dir=root, workdir=root / "out")


def test_compare_frames_measures_the_shift(ctx: ToolContext) -> None:
    result = REGISTRY["compare_frames"].run(ctx, {"a": "00:00.4", "b": 0.55})
    assert result.ok, result.text
    data = json.loads(result.text)
    assert (data["a"]["index"], data["b"]["index"]) == (9, 13)
    # from frame 12 on, the content is 8 px right and 5 px up at 640 px wide: x 6.4, y 4 at 512 px
    assert data["shift_px"]["x"] == pytest.approx(6.4, abs=0.6) and data["shift_px"]["y"] == pytest.approx(
        4, abs=0.6
    )
    assert data["similarity_after"] > data["similarity_before"]
    assert len(result.images) == 2 and all(Path(p).is_file() for p in result.images)


def test_compare_frames_errors_read_well(ctx: ToolContext) -> None:
    same = REGISTRY["compare_frames"].run(ctx, {"a": "00:00.01", "b": 0})
    assert not same.ok and "same frame (index 0)" in same.text
    outside = REGISTRY["compare_frames"].run(ctx, {"a": "00:00", "b": "00:05"})
    assert not outside.ok and "outside the video" in outside.text
