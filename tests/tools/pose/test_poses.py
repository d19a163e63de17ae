"""test_poses ranks hypotheses against images whose camera it is not told (here 10 % larger than built)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.items import ItemImage
from tests.support import item_view
from tools.base import REGISTRY, ToolContext
from tools.images import tools as _images  # noqa: F401  (registers compare_images)
from tools.pose import hypotheses as _register  # noqa: F401  (registers test_poses)

ROLLS = [f"roll {a} {v}" for a in "xyz" for v in range(-90, 91, 15) if v]
MOVES = [f"move {a} {v}" for a in "xy" for v in range(-4, 5) if v]


def _ctx(renders, names: list[str], tmp_path: Path, structure=True) -> ToolContext:
    images = [ItemImage(path=str(renders[n][1]), role=n, view="front") for n in names]
    ref = renders[names[0]][0].structure
    item = item_view(images=images, structure=ref if structure else None)
    return ToolContext(item=item, bench_dir=tmp_path, workdir=tmp_path / "work", access="structure")


def _best(ctx: ToolContext, **args) -> dict:
    result = REGISTRY["test_poses"].run(ctx, args)
    assert result.ok, result.text
    import json

    return json.loads(result.text)


@pytest.mark.parametrize(
    ("target", "candidates", "answer", "margin"),
    [
        ("big_roll", ROLLS, "roll x 30", 1.05),
        ("big_move", MOVES, "move x -3", 1.05),
        # neighbouring depths differ by under 1 % in scale: a smaller, still consistent margin
        ("big_zoom", [f"move z {d}" for d in range(40, 61)], "move z 45", 1.02),
    ],
)
def test_picks_the_right_pose_at_an_unknown_scale(
    renders, tmp_path, target, candidates, answer, margin
) -> None:
    data = _best(_ctx(renders, ["big", target], tmp_path), candidates=candidates, compare_with=2, reference=1)
    assert data["best"][0]["commands"] == answer
    # the right answer is clearly better than the runner-up
    assert data["best"][1]["distance_angstrom"] > data["best"][0]["distance_angstrom"] * margin
    fit = data["camera_fit"]
    true_scale = renders["big"][0].size / renders["big"][0].field_width
    assert abs(fit["pixels_per_angstrom"] / true_scale - 1) < 0.005 and fit["quality"] == "good"


def test_an_item_without_structure_gets_a_message_not_a_crash(renders, tmp_path) -> None:
    ctx = _ctx(renders, ["big", "big_roll"], tmp_path, structure=False)
    result = REGISTRY["test_poses"].run(ctx, {"candidates": ["roll x 15"], "compare_with": 2})
    assert not result.ok and "no structure" in result.text


def test_an_image_without_atoms_gets_a_message_not_a_crash(renders, tmp_path) -> None:
    from PIL import Image

    black = tmp_path / "black.png"
    Image.new("RGB", (64, 64)).save(black)
    ctx = _ctx(renders, ["big", "big_roll"], tmp_path)
    ctx.item.images[0] = ItemImage(path=str(black), role="black", view="front")
    result = REGISTRY["test_poses"].run(ctx, {"candidates": ["roll x 15"], "compare_with": 2, "reference": 1})
    assert isinstance(result.ok, bool) and result.text


def test_compare_images_gives_angstrom_from_the_fitted_camera(renders, tmp_path) -> None:
    import json

    ctx = _ctx(renders, ["big", "big_moved"], tmp_path)  # the scene moved 2 Å right and 1 Å down
    result = REGISTRY["compare_images"].run(ctx, {"a": 1, "b": 2})
    assert result.ok, result.text
    shift = json.loads(result.text)["shift_angstrom"]
    assert (shift["x"], shift["y"]) == pytest.approx((2.0, -1.0), abs=0.2)
    ctx.access = "images"
    assert "shift_angstrom" not in json.loads(REGISTRY["compare_images"].run(ctx, {"a": 1, "b": 2}).text)
