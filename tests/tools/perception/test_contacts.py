"""The residue–ligand contact bound on real 512 px renders of T4 items: it never exceeds the true closest
N/O distance of the structure, it proves a clear negative beyond hydrogen-bond reach, and it never does so
for a bonded residue."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from agent.builtin.history import History
from agent.builtin.image_bonds import residue_bonds
from agent.toolset import all_tools
from eval.misi.bench import MisiBenchmark
from eval.misi.build.builder import BuildConfig, build
from tools.base import ToolContext
from tools.render.scene import RenderSpec, build_scene

BOUND = next(t for t in all_tools() if t.name == "residue_contact_bound")


@pytest.fixture(scope="module")
def t4_bench(complexes_dir, tmp_path_factory) -> MisiBenchmark:
    """T4 items of 1p5e (residues far from the ligand's N/O) and 1bju (a bonded GLY), as bundled (seed 0)."""
    src = tmp_path_factory.mktemp("t4-complexes")
    for pdb_id in ("1p5e", "1bju"):
        shutil.copytree(complexes_dir / pdb_id, src / pdb_id)
    shutil.copy(complexes_dir / "index.csv", src / "index.csv")
    out = tmp_path_factory.mktemp("t4-bench")
    build(BuildConfig(src, out, per_task=2, seed=0, tasks=["T4"], image_size=512, render=True))
    return MisiBenchmark(out)


def _true_closest(bench: MisiBenchmark, item) -> float:
    scene = build_scene(RenderSpec.model_validate(item.generation["images"][0]), bench.root)

    def polar(lig: bool) -> np.ndarray:
        return np.array(
            [[a.x, a.y, a.z] for a in scene.atoms if a.is_ligand == lig and a.element.upper() in "NO"]
        )

    return float(np.linalg.norm(polar(True)[:, None] - polar(False)[None], axis=2).min())


def _run(bench: MisiBenchmark, item, tmp_path) -> dict:
    ctx = ToolContext(item=item.view(), bench_dir=bench.root, workdir=tmp_path, access="images")
    residue = item.prompt.split("whether the residue ", 1)[1].split(" (")[0]
    result = BOUND.run(ctx, {"images": [1, 2, 3, 4, 5, 6], "residue": residue})
    assert result.ok, result.text
    return json.loads(result.text)


def _answer(item, data: dict):
    msgs = [
        {
            "role": "assistant",
            "tool_calls": [{"id": "c1", "function": {"name": BOUND.name, "arguments": "{}"}}],
        },
        {"role": "tool", "tool_call_id": "c1", "content": json.dumps(data)},
    ]
    return residue_bonds(item.view(), {BOUND.name}, History(msgs))


def test_a_clear_negative_is_answered_no_with_a_bound_below_the_truth(t4_bench, tmp_path) -> None:
    items = [t4_bench.item(i) for i in t4_bench.ids if "1p5e" in i]
    assert items
    for item in items:
        assert item.gold == "No"
        data = _run(t4_bench, item, tmp_path)
        assert data["beyond_reach"], data["verdict"]
        assert 3.9 < data["bound_angstrom"] <= _true_closest(t4_bench, item)
        # the scale the bound divides by is never below the true one
        assert (
            data["scale"]["upper"]
            >= build_scene(
                RenderSpec.model_validate(item.generation["images"][0]), t4_bench.root
            ).pixels_per_angstrom
        )
        answer = _answer(item, data)
        assert answer.answer == "No" and str(data["bound_angstrom"]) in answer.reasoning


def test_a_bonded_residue_is_never_answered_no(t4_bench, tmp_path) -> None:
    positives = [t4_bench.item(i) for i in t4_bench.ids if t4_bench.item(i).gold.startswith("Yes")]
    assert positives
    for item in positives:
        data = _run(t4_bench, item, tmp_path)
        assert not data["beyond_reach"]
        if data["bound_angstrom"] is not None:
            assert data["bound_angstrom"] <= _true_closest(t4_bench, item)
        assert _answer(item, data).answer is None


def test_the_tool_names_bad_arguments(t4_bench, tmp_path) -> None:
    item = t4_bench.item(t4_bench.ids[0])
    ctx = ToolContext(item=item.view(), bench_dir=t4_bench.root, workdir=tmp_path, access="images")
    bad = BOUND.run(ctx, {"images": [1, 2, 3, 4, 5, 6], "residue": "GLY"})
    assert not bad.ok and "GLY" in bad.text
    few = BOUND.run(ctx, {"images": [1, 2, 3], "residue": "GLY 118"})
    assert not few.ok
    schema = BOUND.args_model.model_json_schema()
    assert {"images", "residue"} <= set(schema["required"]) and "reach_angstrom" in schema["properties"]


def test_the_residue_label_is_placed_in_the_views_where_it_was_not_read_and_a_bad_reading_is_dropped() -> (
    None
):
    from tools.camera import view_matrix
    from tools.perception.labels import Label
    from tools.perception.residue_label import place_residue_label

    anchor, width = np.array([40.0, -25.0, 60.0]), 512

    def label(view: str, shift: float = 0.0) -> Label:
        rot = view_matrix(view)
        col, row = float(rot[0] @ anchor) + width / 2 + shift, width / 2 - float(rot[1] @ anchor)
        box = (int(col - 30), int(row - 7), int(col + 30), int(row + 7))
        return Label(
            text="GLY 118", kind="residue", raw="GLY 118", box=box, centre=(col, row), confidence=1.0
        )

    read = {"front": label("front"), "top": label("top"), "right": label("right", shift=25.0)}
    # three readings, one wrong: top and right disagree and nothing says which is wrong, so nothing is placed
    assert set(place_residue_label(read, width)) == set(read)
    read["bottom"] = label("bottom")
    boxes = place_residue_label(read, width)
    assert set(boxes) == {"front", "back", "left", "right", "top", "bottom"}
    for view, box in boxes.items():  # the merged 'right' reading is dropped: every box sits on the anchor
        want = label(view)
        assert abs((box[0] + box[2]) / 2 - want.centre[0]) <= 1.5
        assert abs((box[1] + box[3]) / 2 - want.centre[1]) <= 1.5
    # one direction only: nothing to triangulate, only the boxes read come back
    assert set(place_residue_label({"front": label("front"), "back": label("back")}, width)) == {
        "front",
        "back",
    }
