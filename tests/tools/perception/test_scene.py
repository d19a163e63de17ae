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
