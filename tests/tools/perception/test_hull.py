"""The atoms rebuilt in 3D by colour class from the standard views, checked against the structure, and the
rotations they decide, on real 512 px renders."""

import json

import numpy as np

from agent.toolset import all_tools
from tests.perception_support import first_item, truth
from tools.base import ToolContext
from tools.perception.hull import carve_images, cell_maps, fit_rotations, near, rotation_angle

ROLLS = [f"roll {a} {v}" for a in "xyz" for v in range(-90, 91, 15) if v]
FIT = next(t for t in all_tools() if t.name == "fit_atom_rotation")


def _hull(bench, item):
    return carve_images({im.view: bench.root / im.path for im in item.images[:3]})


def test_the_hull_holds_the_labelled_atoms_of_the_structure(bench_512) -> None:
    item = first_item(bench_512, "T2")
    hull = _hull(bench_512, item)
    xyz, ppa = truth(bench_512, item, 0)
    occupied = {tuple(c) for c in np.floor(hull.xyz + hull.grid / 2).astype(int)}
    # every ligand atom and residue CA, in cells of the front frame, must lie in (or next to) a hull cell
    inside = 0
    for p in xyz.values():
        cell = np.floor(np.asarray(p) * ppa / hull.cell + hull.grid / 2).astype(int)
        around = {tuple(cell + d) for d in np.ndindex(3, 3, 3) for d in [np.array(d) - 1]}
        inside += bool(around & occupied)
    assert inside >= 0.95 * len(xyz)
    # and the hull is far smaller than the box the views span
    assert len(hull.xyz) < 0.05 * hull.grid**3


def test_the_gold_rotation_is_the_decisive_best_and_none_fits_the_unrotated_view(bench_512) -> None:
    item = first_item(bench_512, "T2")
    hull = _hull(bench_512, item)
    after = cell_maps(bench_512.root / item.images[3].path)
    fit = fit_rotations(hull, after, [*ROLLS, "roll z 0"])
    assert fit.decisive and rotation_angle(fit.ranked[0].commands, item.gold) < 1e-6
    before = cell_maps(bench_512.root / item.images[0].path)
    again = fit_rotations(hull, before, [item.gold, "roll z 0"])
    assert again.ranked[0].commands == "roll z 0"
    # the rotated view moved 5 cells left and 3 down: with `translate` the shift is found too
    moved = np.roll(after, (3, -5), axis=(1, 2))
    shifted = fit_rotations(hull, moved, [*ROLLS, "roll z 0"], translate=True)
    assert rotation_angle(shifted.ranked[0].commands, item.gold) < 1e-6
    assert shifted.ranked[0].shift_px == (-5.0 * hull.cell, -3.0 * hull.cell)


def test_equal_orientations_written_differently_are_near_and_distinct_bins_are_not() -> None:
    assert near("roll x 90, roll z 15", "roll y 15, roll x 90")
    assert near("roll x 30", "roll x 45") and not near("roll x 30", "roll x 60")
    assert not near("roll x 30", "roll y 30")


def test_the_tool_decides_the_rotation_and_names_a_bad_image(bench_512, tmp_path) -> None:
    item = first_item(bench_512, "T2")
    ctx = ToolContext(item=item.view(), bench_dir=bench_512.root, workdir=tmp_path, access="images")
    result = FIT.run(ctx, {"images": [1, 2, 3], "targets": [4, 1], "candidates": [*ROLLS, "roll z 0"]})
    assert result.ok
    data = json.loads(result.text)["targets"]
    assert data["4"]["decisive"] and rotation_angle(data["4"]["ranked"][0]["commands"], item.gold) < 1e-6
    assert data["1"]["ranked"][0]["commands"] == "roll z 0"
    bad = FIT.run(ctx, {"images": [1, 2, 3], "targets": [9], "candidates": ["roll x 15"]})
    assert not bad.ok and "9" in bad.text
    # a candidate that is not a command is named, never tested as "no rotation"
    bad = FIT.run(ctx, {"images": [1, 2, 3], "targets": [4], "candidates": ["roll x 15", "roll q 15"]})
    assert not bad.ok and "roll q 15" in bad.text
