"""An official item gives images and a PDB id, but no camera and maybe no structure: every tool answers
it with a result or a clear error, never an unexpected exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from agent.toolset import all_tools
from eval.items import ItemImage, ItemView
from tools.base import ToolContext

ARGS = {
    "apply_commands": {"commands": "move x 1"},
    "atom_geometry": {"atoms": ["ligand C1"]},
    "compare_frames": {"a": 1, "b": 2},
    "compare_images": {"a": 1, "b": 4},
    "contact_sheet": {},
    "crop_image": {"image": 1, "box": [0, 0, 0.5, 0.5]},
    "estimate_transform": {"to_commands": "roll x 15"},
    "fit_atom_rotation": {"images": [1, 2], "targets": [4], "candidates": ["roll x 15"]},
    "fit_camera": {"image": 1},
    "fit_view_motion": {"images": [1, 2], "target": 4, "candidates": ["roll x 15"]},
    "fit_zoom": {"a": 1, "b": 4, "camera_distance": 150, "distances": [40, 50]},
    "hbond_candidates": {"images": [1, 2]},
    "label_shift": {"a": 1, "b": 4},
    "read_labels": {"image": 1},
    "rebuild_scene": {"images": [1, 2]},
    "scene_geometry": {"images": [1, 2], "names": ["O1", "ASP 25"]},
    "interaction_profile": {},
    "render_view": {},
    "residue_contact_bound": {"images": [1, 2, 3, 4, 1, 2], "residue": "ARG 45"},
    "residue_hbonds": {"residue": "ARG 45"},
    "structure_summary": {},
    "test_poses": {"candidates": ["move x 1", "move x 2"], "compare_with": 4},
    "video_frames": {},
}


def _item(root: Path) -> ItemView:
    images = []
    for k in range(4):
        im = Image.new("RGB", (96, 96))
        draw = ImageDraw.Draw(im)
        dx = 6 if k == 3 else 0
        draw.ellipse((20 + dx, 30, 50 + dx, 60), fill=(220, 40, 40))
        draw.rectangle((55 + dx, 20, 80 + dx, 70), fill=(40, 40, 220))
        im.save(root / f"{k}.png")
        images.append(ItemImage(path=f"{k}.png", role=f"image {k + 1}"))
    return ItemView(
        id="misi-T1-official-x",
        benchmark="misi",
        task="T1",
        task_name="Translation",
        prompt="(PDB ID: 1ABC)",
        prompt_template="official",
        prompt_hash="",
        images=images,
        answer_format="translation",
    )


def test_every_tool_is_listed_here() -> None:
    assert sorted(t.name for t in all_tools()) == sorted(ARGS)


@pytest.mark.parametrize("access", ["images", "structure"])
def test_no_tool_fails_unexpectedly_on_an_item_without_camera_or_structure(
    access: str, tmp_path: Path
) -> None:
    ctx = ToolContext(item=_item(tmp_path), bench_dir=tmp_path, workdir=tmp_path / "work", access=access)
    for tool in all_tools():
        result = tool.run(ctx, ARGS[tool.name])
        # "<name> failed: <ExceptionType>" is what Tool.run makes of an exception the tool did not expect
        assert not result.text.startswith(f"{tool.name} failed:"), (tool.name, result.text)
        if tool.name == "compare_images":
            assert result.ok and "shift_angstrom" not in result.text and '"shift_px"' in result.text
