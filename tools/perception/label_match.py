"""Find a label read in one view in the other standard views by its pixels, where OCR could not read it.

A label is drawn facing the camera at its atom, in the same font and size in every view, so the text's
pixels in one view are a template for the same text in the others. The views are orthographic rotations of
one scene about the image centre: a label read at (u, v) in one view lies on a known line of space, whose
projection into each other view is a known line of pixels. Sliding the template along those lines and
scoring normalised cross-correlation finds the depth at which every other view shows the same text; a label
hidden under others in one view still shows enough of its strokes in the rest. The match must be strong in
the views that see it and clearly better than any other depth, or the label stays unlocated.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel
from scipy import ndimage

from tools.camera import view_matrix
from tools.perception.glyphs import ncc_map
from tools.perception.labels import Label

MIN_SCORE = 0.6  # mean normalised cross-correlation a match needs over the other views
MIN_VIEWS = 2  # other views in which the text must match at that depth
PEAK_RATIO = 0.85  # a second depth, a label width away, must score below this share of the best


class TemplateMatch(BaseModel):
    text: str
    xyz_px: tuple[float, float, float]  # front frame, pixels, origin at the image centre
    views: list[str]  # the reading view first, then the views the text was found in
    score: float  # mean correlation over the matched views
    runner_up: float  # best score at another depth


def _template(ink: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray | None:
    c0, r0, c1, r1 = box
    t = ink[r0 : r1 + 1, c0 : c1 + 1]
    if t.size < 20 or t.std() < 1e-3:
        return None
    return t


def _ncc_along(image: np.ndarray, tmpl: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Normalised cross-correlation of `tmpl` with `image` with its top-left corner at each (row, col),
    best within one pixel (sub-pixel rounding of the centre); −1 where the template leaves the image."""
    th, tw = tmpl.shape
    h, w = image.shape
    out = np.full(len(rows), -1.0)
    # only the band of the image the positions sweep
    r_lo, r_hi = max(0, int(rows.min()) - 1), min(h, int(rows.max()) + th + 2)
    c_lo, c_hi = max(0, int(cols.min()) - 1), min(w, int(cols.max()) + tw + 2)
    band = image[r_lo:r_hi, c_lo:c_hi]
    if band.shape[0] < th or band.shape[1] < tw:
        return out
    ncc = ncc_map(band, tmpl)
    ncc = ndimage.maximum_filter(ncc, size=3, mode="constant", cval=-1.0)
    rr, cc = rows - r_lo, cols - c_lo
    inside = (rr >= 0) & (cc >= 0) & (rr < ncc.shape[0]) & (cc < ncc.shape[1])
    out[inside] = ncc[rr[inside], cc[inside]]
    return out


def locate(
    label: Label, view: str, ink: dict[str, np.ndarray], size: tuple[int, int]
) -> TemplateMatch | None:
    """The label's 3D position (front frame, px) from its reading in `view` and its pixels in the others.

    `ink` maps standard view names to float images of label text (1 on text, 0 elsewhere).
    """
    tmpl = _template(ink[view], label.box)
    others = [v for v in ink if v != view]
    if tmpl is None or len(others) < MIN_VIEWS:
        return None
    w, h = size
    # offset from the label's centre to the template's top-left corner, in pixels
    off_c = label.box[0] - label.centre[0]
    off_r = label.box[1] - label.centre[1]
    u, v = label.centre[0] - w / 2.0, h / 2.0 - label.centre[1]
    depths = np.arange(-w / 2.0, w / 2.0, 1.0)
    r0 = view_matrix(view)
    points = np.stack([np.full_like(depths, u), np.full_like(depths, v), depths], axis=1) @ r0  # R0ᵀ·p
    per_view = []
    for other in others:
        q = points @ view_matrix(other).T
        cols = np.rint(w / 2.0 + q[:, 0] + off_c).astype(int)
        rows = np.rint(h / 2.0 - q[:, 1] + off_r).astype(int)
        per_view.append(_ncc_along(ink[other], tmpl, rows, cols))
    scores = np.stack(per_view)  # (views, depths)
    # the text may be hidden in a view: average the views where it matches best, at least MIN_VIEWS
    top = np.sort(scores, axis=0)[::-1][: max(MIN_VIEWS, (len(others) + 1) // 2)]
    mean = top.mean(axis=0)
    k = int(np.argmax(mean))
    if mean[k] < MIN_SCORE:
        return None
    width = max(label.box[2] - label.box[0], 6)
    far = np.abs(depths - depths[k]) > width / 2.0
    runner = float(mean[far].max()) if far.any() else -1.0
    if runner >= PEAK_RATIO * mean[k]:
        return None
    matched = [o for o, s in zip(others, scores[:, k]) if s >= MIN_SCORE]
    xyz = points[k]
    return TemplateMatch(
        text=label.text,
        xyz_px=(round(float(xyz[0]), 2), round(float(xyz[1]), 2), round(float(xyz[2]), 2)),
        views=[view, *matched],
        score=round(float(mean[k]), 3),
        runner_up=round(runner, 3),
    )
