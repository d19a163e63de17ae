"""Labels read in the standard views stacked at their points of space, on real 512 px renders, checked
against the structure."""

import numpy as np

from eval.perf.perception import label_truth
from tests.perception_support import first_item, truth
from tools.perception.glyphs import neutral_ink, text_ink
from tools.perception.labels import read_labels
from tools.perception.stacked_labels import read_stacked


def _views(bench, item):
    paths = {im.view: bench.root / im.path for im in item.images if im.view}
    return {v: read_labels(p) for v, p in paths.items()}, {v: text_ink(p) for v, p in paths.items()}


def test_stacked_views_read_labels_where_the_structure_puts_them(six_views_512) -> None:
    item = first_item(six_views_512, "T8")
    readings, soft = _views(six_views_512, item)
    xyz, ppa = truth(six_views_512, item, 0)
    found = read_stacked(soft, readings)
    placed = [lab for lab in found if lab.text in xyz]
    assert len(placed) >= 5 and len(placed) >= 0.8 * len(found)
    errors = {lab.text: float(np.linalg.norm(np.array(lab.xyz_px) / ppa - xyz[lab.text])) for lab in placed}
    assert float(np.median(list(errors.values()))) < 0.3
    # two-character names are sometimes a longer label read short ("O3'" as "O3"): the scene keeps the rest
    assert max(e for t, e in errors.items() if len(t) >= 3) < 0.75
    # more than the views read one by one can triangulate: each view alone misses some of them
    for reading in readings.values():
        assert {lab.text for lab in placed} - {lab.text for lab in reading.labels}


def test_nothing_is_read_where_the_views_disagree(six_views_512) -> None:
    item = first_item(six_views_512, "T8")
    readings, soft = _views(six_views_512, item)
    # the front view's text shifted far: no point of space has the same label in every view any more
    moved = dict(soft, front=np.roll(soft["front"], 97, axis=0))
    assert len(read_stacked(moved, readings)) < 0.2 * len(read_stacked(soft, readings))
    assert read_stacked({v: np.zeros_like(m) for v, m in soft.items()}, readings) == []
    # three views are not enough: other text meets by chance too often
    three = {v: soft[v] for v in ("front", "left", "top")}
    assert read_stacked(three, {v: readings[v] for v in three}) == []


def test_a_short_name_is_kept_only_where_its_label_ends(primed_six_views_512) -> None:
    bench = primed_six_views_512
    item = first_item(bench, "T8")
    readings, soft = _views(bench, item)
    strokes = {im.view: neutral_ink(bench.root / im.path) for im in item.images if im.view}
    labels, ppa, _ = label_truth(bench.root, item.generation["images"][0])
    short = [
        lab for lab in read_stacked(soft, readings, strokes) if lab.kind == "atom" and len(lab.text) <= 2
    ]

    def nearest(lab):
        return min(labels, key=lambda t: float(np.linalg.norm(np.array(lab.xyz_px) / ppa - t.xyz)))

    kept = [lab for lab in short if lab.whole]
    assert len(kept) >= 3
    for lab in kept:  # each stands where the structure has an atom of that name
        t = nearest(lab)
        assert t.text == lab.text and np.linalg.norm(np.array(lab.xyz_px) / ppa - t.xyz) < 1.0, lab
    # and the same glyphs read short from a primed label ("O3" of "O3'") are not kept
    assert any(nearest(lab).text == lab.text + "'" for lab in short if not lab.whole)
