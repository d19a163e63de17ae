"""Labels found by their text composed from glyphs read elsewhere, on real 512 px renders, checked against
the structure; and the scene rebuilt with them."""

import numpy as np

from tests.perception_support import first_item, truth
from tools.perception.glyphs import harvest, ncc_map, text_ink
from tools.perception.labels import label_mask, read_labels
from tools.perception.scene import rebuild
from tools.perception.text_search import find_text


def _views(bench, item):
    paths = {im.view: bench.root / im.path for im in item.images[:3]}
    readings = {v: read_labels(p) for v, p in paths.items()}
    return (
        readings,
        {v: text_ink(p) for v, p in paths.items()},
        {v: label_mask(p).astype(float) for v, p in paths.items()},
    )


def _fit(window: np.ndarray, glyphs, text: str) -> float:
    t = glyphs.compose(text).template
    if t.shape[0] > window.shape[0] or t.shape[1] > window.shape[1]:
        return -1.0
    return float(ncc_map(window, t).max())


def test_glyphs_compose_a_read_label_into_its_own_pixels(bench_512) -> None:
    readings, soft, _ = _views(bench_512, first_item(bench_512, "T2"))
    glyphs = harvest(readings, soft)
    assert glyphs is not None and glyphs.gap > 0 and glyphs.space > glyphs.gap
    texts = sorted({lab.text for r in readings.values() for lab in r.labels if glyphs.compose(lab.text)})
    own, best_other = [], []
    for view, reading in readings.items():
        for lab in reading.labels:
            if lab.confidence < 0.9 or lab.text not in texts:
                continue
            c0, r0, c1, r1 = lab.box
            window = soft[view][max(0, r0 - 4) : r1 + 5, max(0, c0 - 8) : c1 + 9]
            own.append(_fit(window, glyphs, lab.text))
            best_other.append(max(_fit(window, glyphs, t) for t in texts if t != lab.text))
    # other labels crossing a read one lower its score, but its own text fits it better than any other
    assert len(own) >= 5 and float(np.median(own)) > 0.7
    wins = np.array(own) > np.array(best_other)
    assert wins.mean() >= 0.9, list(zip(own, best_other))
    assert glyphs.compose("Q") is None or "Q" in glyphs.pieces  # a character never read composes nothing


def test_texts_are_found_where_the_structure_puts_them_and_nowhere_else(bench_512) -> None:
    item = first_item(bench_512, "T2")
    readings, soft, _ = _views(bench_512, item)
    glyphs = harvest(readings, soft)
    assert glyphs is not None
    xyz, ppa = truth(bench_512, item, 0)
    size = readings["front"].image_size
    errors, absent = [], 0
    residues = [t for t in xyz if " " in t]
    for text in residues:
        match = find_text(text, glyphs, soft, size)
        if match is not None:
            errors.append(float(np.linalg.norm(np.array(match.xyz_px) / ppa - xyz[text])))
    # sorted: a set's order changes with the hash seed, and which absent texts are tried must not
    numbers = sorted({t.split()[1] for t in residues})
    for text in residues:
        name = text.split()[0]
        absent_texts = (f"{name} {n}" for n in numbers if f"{name} {n}" not in xyz)
        other = next((t for t in absent_texts if glyphs.compose(t) is not None), None)
        if other is not None:
            absent += 1
            assert find_text(other, glyphs, soft, size) is None, other
    assert len(errors) >= 3 and max(errors) < 1.0
    assert absent >= 3


def test_a_text_is_not_found_in_views_that_show_no_text(bench_512) -> None:
    readings, soft, _ = _views(bench_512, first_item(bench_512, "T2"))
    glyphs = harvest(readings, soft)
    assert glyphs is not None
    text = next(lab.text for r in readings.values() for lab in r.labels if glyphs.compose(lab.text))
    blank = {v: np.zeros_like(m) for v, m in soft.items()}
    assert find_text(text, glyphs, blank, readings["front"].image_size) is None


def test_stacked_and_composed_labels_add_accurate_points_to_the_rebuilt_scene(bench_512) -> None:
    item = first_item(bench_512, "T2")
    readings, soft, ink = _views(bench_512, item)
    before, after = rebuild(readings, ink), rebuild(readings, ink, soft)
    added = [p for p in after.points if p.located_by in ("stacked", "composed")]
    assert added and len(after.points) == len(before.points) + len(added)
    assert all(p.kind == "residue" for p in added if p.located_by == "composed")
    assert all(len(p.text) >= 3 for p in added)  # two-character names are found inside longer ones
    xyz, ppa = truth(bench_512, item, 0)
    errors = [np.linalg.norm(np.array(p.xyz_px) / ppa - xyz[p.text]) for p in added if p.text in xyz]
    assert len(errors) >= 0.9 * len(added) and max(errors) < 1.0
