"""crop_image and compare_images as the model calls them: results, produced images, readable errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from eval.items import ItemImage, ItemView
from tests.support import item_view
from tools.base import REGISTRY, ToolContext
from tools.images import tools as _register  # noqa: F401  (registers the tools)

FRAMES = Path(__file__).resolve().parents[3] / "eval" / "data" / "videos" / "trackpy_bulk_water"


def make_item(images: list[str]) -> ItemView:
    return item_view(images=[ItemImage(path=p, role="input") for p in images])


@pytest.fixture
def bench(tmp_path: Path) -> Path:
    """A benchmark dir with frame 0, frame 0 shifted (right 6 px, up 4 px) and a smaller image."""
    a = Image.open(FRAMES / "bulk_water_000.png").convert("RGB").crop((100, 50, 500, 350))
    b = Image.open(FRAMES / "bulk_water_000.png").convert("RGB").crop((94, 54, 494, 354))
    (tmp_path / "images").mkdir()
    a.save(tmp_path / "images" / "a.png")
    b.save(tmp_path / "images" / "b.png")
    a.resize((200, 150)).save(tmp_path / "images" / "small.png")
    return tmp_path


def run(bench: Path, name: str, args: dict) -> tuple[bool, str, list[str]]:
    item = make_item(["images/a.png", "images/b.png", "images/small.png"])
    ctx = ToolContext(item=item, bench_dir=bench, workdir=bench / "out")
    result = REGISTRY[name].run(ctx, args)
    return result.ok, result.text, result.images


def test_crop_returns_enlarged_region(bench: Path) -> None:
    ok, text, images = run(bench, "crop_image", {"image": 1, "box": [0.25, 0.25, 0.75, 0.75], "size": 400})
    assert ok, text
    data = json.loads(text)
    assert data["box_pixels"] == [100, 75, 300, 225]
    assert Image.open(images[0]).size == (400, 300)
    assert data["magnification"] == 2.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"image": 4, "box": [0, 0, 1, 1]}, "images 1 to 3"),
        ({"image": 0, "box": [0, 0, 1, 1]}, "images 1 to 3"),
        ({"image": 1, "box": [0.5, 0, 0.2, 1]}, "x0 < x1"),
        ({"image": 1, "box": [0, 0, 1.5, 1]}, "between 0 and 1"),
        ({"image": 1, "box": [0, 0, 1]}, "bad arguments"),
    ],
)
def test_crop_errors(bench: Path, args: dict, message: str) -> None:
    ok, text, images = run(bench, "crop_image", args)
    assert not ok and not images
    assert message in text


def test_compare_reports_shift_in_px(bench: Path) -> None:
    ok, text, images = run(bench, "compare_images", {"a": 1, "b": 2})
    assert ok, text
    data = json.loads(text)
    assert (data["shift_px"]["x"], data["shift_px"]["y"]) == pytest.approx((6.0, 4.0), abs=0.5)
    assert abs(data["rotation_deg"]) < 1.0 and data["scale"] == pytest.approx(1.0, abs=0.02)
    assert data["similarity_after"] > data["similarity_before"]
    assert len(images) == 2 and all(Path(p).is_file() for p in images)
    pair = Image.open(images[0])
    assert pair.width > 800 and pair.height > 300  # a | b with labels


def test_compare_without_structure_has_no_angstrom(bench: Path) -> None:
    ok, text, _ = run(bench, "compare_images", {"a": 1, "b": 2})
    assert ok and "shift_angstrom" not in json.loads(text)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"a": 1, "b": 1}, "two different"),
        ({"a": 1, "b": 3}, "same size"),
        ({"a": 1, "b": 9}, "images 1 to 3"),
    ],
)
def test_compare_errors(bench: Path, args: dict, message: str) -> None:
    ok, text, _ = run(bench, "compare_images", args)
    assert not ok and message in text


def test_missing_image_file_is_an_error(bench: Path) -> None:
    shutil.rmtree(bench / "images")
    ok, text, _ = run(bench, "crop_image", {"image": 1, "box": [0, 0, 1, 1]})
    assert not ok and "missing" in text


def test_schemas_describe_every_argument() -> None:
    for name in ("crop_image", "compare_images"):
        props = REGISTRY[name].parameters_schema()["properties"]
        assert props and all(p.get("description") for p in props.values())


def test_difference_image_is_dark_after_alignment(bench: Path) -> None:
    _, _, images = run(bench, "compare_images", {"a": 1, "b": 2})
    diffs = np.asarray(Image.open(images[1]).convert("L"), float)
    half = diffs.shape[1] // 2
    before, after = diffs[30:, : half - 10], diffs[30:, half + 10 :]
    assert after.mean() < 0.5 * before.mean()
