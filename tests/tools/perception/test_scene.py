"""The scene rebuilt from the standard views, checked against the structure's own coordinates."""

import numpy as np

from tests.perception_support import first_item, truth
from tools.camera import parse_commands
from tools.perception.atoms import detect_atoms
from tools.perception.geometry import fit_motion, fit_zoom
from tools.perception.labels import read_labels
from tools.perception.scene import rebuild

ROLLS = [f"roll {a} {v}" for a in "xyz" for v in range(-90, 91, 15) if v]


def _scene(bench, item):
    return rebuild({im.view: read_labels(bench.root / im.path) for im in item.images[:3]})


def test_rebuilt_positions_match_the_structure_within_an_angstrom(bench_512) -> None:
    item = first_item(bench_512, "T2")
    model = _scene(bench_512, item)
    xyz, ppa = truth(bench_512, item, 0)
    located = [p for p in model.points if p.text in xyz]
    assert len(located) >= 3
    errors = [np.linalg.norm(np.array(p.xyz_px) / ppa - xyz[p.text]) for p in located]
    assert np.median(errors) < 1.0
    assert all(p.residual_px < 6.0 and len(p.views) >= 2 for p in model.points)


def test_the_rotation_is_the_candidate_that_carries_the_labels_onto_image_4(bench_512) -> None:
    item = first_item(bench_512, "T2")
    model = _scene(bench_512, item)
    fit = fit_motion(model, read_labels(bench_512.root / item.images[3].path), ROLLS)
    gold = parse_commands(item.gold)[0]
    best = parse_commands(fit.best[0].commands)[0]
    assert (best.axis, best.value) == (gold.axis, gold.value)
    # the same labels against the unrotated view: the gold rotation no longer fits
    again = fit_motion(model, read_labels(bench_512.root / item.images[0].path), [item.gold, "roll z 0"])
    assert again.best[0].commands == "roll z 0"


def test_zoom_is_found_from_the_atoms_colour_classes(bench_512) -> None:
    item = first_item(bench_512, "T3")
    a = detect_atoms(bench_512.root / item.images[0].path)
    b = detect_atoms(bench_512.root / item.images[3].path)
    distances = list(range(40, 61))
    fit = fit_zoom(a, b, [150 / (150 - d) for d in distances])
    found = distances[[round(150 / (150 - d), 5) for d in distances].index(round(fit.best_scale, 5))]
    assert f"move z {found}" == item.gold and fit.margin > 0.005


def _residue(text: str, xyz: tuple[float, float, float], located_by: str = "readings"):
    from tools.perception.scene import Point3D

    return Point3D(
        text=text,
        kind="residue",
        xyz_px=xyz,
        views=["front", "left"],
        residual_px=0.5,
        confidence=1,
        located_by=located_by,
    )


def test_the_ca_scale_rejects_pairs_that_closer_residues_rule_out_and_shared_numbers() -> None:
    from tools.perception.scene import estimate_scale

    pair = [_residue("ILE 45", (0.0, 0.0, 0.0)), _residue("LEU 46", (38.0, 0.0, 0.0))]
    assert estimate_scale(pair).pixels_per_angstrom == 10.0
    # a third residue 20 px from ILE 45: at 10 px/Å the two would be 2 Å apart, which no two CAs are
    crowded = estimate_scale([*pair, _residue("GLY 80", (0.0, 20.0, 0.0))])
    assert crowded.pixels_per_angstrom is None and "rejected" in crowded.source
    # a number two residues share (two chains numbered alike) pairs with neither
    shared = estimate_scale([*pair, _residue("TYR 46", (0.0, 300.0, 0.0))])
    assert shared.pixels_per_angstrom is None


def test_a_label_found_by_its_pixels_beside_a_read_one_neither_scales_nor_rules_out() -> None:
    from tools.perception.scene import _without_shadowed_matches, estimate_scale

    pair = [_residue("ILE 45", (0.0, 0.0, 0.0)), _residue("LEU 46", (38.0, 0.0, 0.0))]
    # "GLU 1", found from a misreading of a label read elsewhere, 15 px from ILE 45: no bound on the scale
    ghost = _residue("GLU 1", (0.0, 15.0, 0.0), located_by="template")
    assert estimate_scale([*pair, ghost]).pixels_per_angstrom == 10.0
    # two consecutive numbers at one point are one label read two ways, not 3.8 Å of chain
    twin = [*pair, _residue("LEU 47", (38.0, 2.0, 0.0), located_by="template")]
    assert estimate_scale(twin).pixels_per_angstrom == 10.0
    assert [p.text for p in _without_shadowed_matches(twin)] == ["ILE 45", "LEU 46"]
