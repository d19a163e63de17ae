"""Labels read in one view found in the other standard views by their pixels, on real 512 px renders,
checked against the structure; and the scene rebuilt with them."""

import numpy as np

from tests.perception_support import first_item, truth
from tools.perception.label_match import locate
from tools.perception.labels import label_mask, read_labels
from tools.perception.scene import rebuild


def _views(bench, item):
    paths = {im.view: bench.root / im.path for im in item.images[:3]}
    return {v: read_labels(p) for v, p in paths.items()}, {
        v: label_mask(p).astype(float) for v, p in paths.items()
    }


def test_labels_read_once_are_found_in_the_other_views_where_the_structure_puts_them(bench_512) -> None:
    item = first_item(bench_512, "T2")
    readings, ink = _views(bench_512, item)
    xyz, ppa = truth(bench_512, item, 0)
    errors, tried = [], 0
    for view, reading in readings.items():
        for text, lab in reading.unique().items():
            tried += 1
            match = locate(lab, view, ink, reading.image_size)
            if match is None:
                continue
            assert match.views[0] == view and len(match.views) >= 2 and match.score > match.runner_up
            if text in xyz:
                errors.append(float(np.linalg.norm(np.array(match.xyz_px) / ppa - xyz[text])))
    assert len(errors) >= 0.25 * tried
    assert max(errors) < 1.5 and float(np.median(errors)) < 0.5


def test_a_label_is_not_found_where_the_other_views_show_no_such_text(bench_512) -> None:
    item = first_item(bench_512, "T2")
    readings, ink = _views(bench_512, item)
    view, reading = next((v, r) for v, r in readings.items() if r.unique())
    lab = next(iter(reading.unique().values()))
    blank = {v: (m if v == view else np.zeros_like(m)) for v, m in ink.items()}
    assert locate(lab, view, blank, reading.image_size) is None


def test_template_matches_add_points_and_keep_the_rebuilt_scene_accurate(bench_512) -> None:
    item = first_item(bench_512, "T2")
    readings, ink = _views(bench_512, item)
    plain, matched = rebuild(readings), rebuild(readings, ink)
    added = [p for p in matched.points if p.located_by == "template"]
    assert added and len(matched.points) == len(plain.points) + len(added)
    xyz, ppa = truth(bench_512, item, 0)
    errors = [np.linalg.norm(np.array(p.xyz_px) / ppa - xyz[p.text]) for p in added if p.text in xyz]
    assert errors and float(np.median(errors)) < 0.5
