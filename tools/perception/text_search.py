"""A label no engine could read, found in the standard views by its text composed from read glyphs.

Labels face the camera in every view and are drawn on top of everything, so at the label's point of space
every view holds the label's own strokes, while the labels overlapping it differ from view to view (they
belong to other points). The search keeps the points where every view covers the composed text; at each,
the pixel-wise minimum of the views' patches is the label alone. A point is accepted only if that minimum
correlates with the composed text, each character's slot looks more like that character than like any
other character of its kind (the label grammar fixes letters and digits: "O2P" is not taken where "O1P"
is drawn), and no other point explains the text nearly as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from tools.camera import view_matrix
from tools.perception.glyphs import Composed, Glyphs, coverage_map, ncc_map

MIN_VIEWS = 3  # two views cannot tell the label's own strokes from another label's
MIN_COVER = 0.85  # share of the composed text's ink every view must hold at the label
MIN_SCORE = 0.6  # correlation of the views' minimum with the composed text
PEAK_RATIO = 0.85  # any other point of space must score below this share of the best


@dataclass
class TextMatch:
    text: str
    xyz_px: tuple[float, float, float]  # front frame, pixels, origin at the image centre
    views: list[str]
    score: float  # correlation of the views' minimum with the composed text
    runner_up: float  # best score at another point of space (−1: none)


class _Views:
    """The views' text ink and where a front-frame point's template corner falls in each."""

    def __init__(self, ink: Mapping[str, np.ndarray], size: tuple[int, int], composed: Composed):
        self.ink = dict(ink)
        self.size = size
        self.composed = composed
        self.mats = {v: view_matrix(v) for v in ink}

    def corners(self, points: np.ndarray, view: str) -> tuple[np.ndarray, np.ndarray]:
        w, h = self.size
        q = points @ self.mats[view].T
        cx, cy = self.composed.centre
        return np.rint(h / 2.0 - q[:, 1] - cy).astype(int), np.rint(w / 2.0 + q[:, 0] - cx).astype(int)

    def min_stack(self, point: np.ndarray) -> np.ndarray | None:
        """The pixel-wise minimum of every view's patch at the point (one-pixel margin), or None if a
        view does not see it whole."""
        th, tw = self.composed.template.shape
        patches = []
        for v, im in self.ink.items():
            r, c = self.corners(point[None], v)
            r0, c0 = int(r[0]) - 1, int(c[0]) - 1
            if r0 < 0 or c0 < 0 or r0 + th + 2 > im.shape[0] or c0 + tw + 2 > im.shape[1]:
                return None
            patches.append(im[r0 : r0 + th + 2, c0 : c0 + tw + 2])
        return np.min(patches, axis=0)


def find_text(
    text: str, glyphs: Glyphs, ink: Mapping[str, np.ndarray], size: tuple[int, int]
) -> TextMatch | None:
    """The 3D position (front frame, px) of the label reading `text`. `ink`: each standard view's text ink
    (tools.perception.glyphs.text_ink), keyed by view name; `size`: (width, height)."""
    composed = glyphs.compose(text)
    if composed is None or len(ink) < MIN_VIEWS:
        return None
    views = _Views(ink, size, composed)
    tmpl = composed.template
    cover = {
        v: ndimage.maximum_filter(coverage_map(im, tmpl), size=3, mode="nearest") for v, im in ink.items()
    }
    candidates = _covered_points(views, cover)
    scored = []
    for p in candidates:
        stack = views.min_stack(p)
        if stack is not None:
            scored.append((float(ncc_map(stack, tmpl).max()), p, stack))
    kept = [(s, p) for s, p, stack in scored if s >= MIN_SCORE and glyphs.spells(composed, stack)]
    if not kept:
        return None
    kept.sort(key=lambda t: -t[0])
    top, xyz = kept[0]
    runner = max((s for s, p in kept[1:] if np.linalg.norm(p - xyz) > tmpl.shape[1] / 2.0), default=-1.0)
    if runner >= PEAK_RATIO * top:
        return None
    return TextMatch(
        text=text,
        xyz_px=(round(float(xyz[0]), 2), round(float(xyz[1]), 2), round(float(xyz[2]), 2)),
        views=list(ink),
        score=round(top, 3),
        runner_up=round(runner, 3),
    )


def _covered_points(views: _Views, cover: Mapping[str, np.ndarray]) -> list[np.ndarray]:
    """Points where every view covers the text: along the line of sight of each covered position of the
    first view (the label is never hidden, so it is covered there too), local maxima of the least cover."""
    w, h = views.size
    first = next(iter(cover))
    cx, cy = views.composed.centre
    m = cover[first]
    depths = np.arange(-w / 2.0, w / 2.0, 1.0)
    out = []
    for r, c in zip(*np.nonzero((m >= MIN_COVER) & (m == ndimage.maximum_filter(m, size=3)))):
        u, v = c + cx - w / 2.0, h / 2.0 - (r + cy)
        sight = np.stack([np.full_like(depths, u), np.full_like(depths, v), depths], axis=1)
        line = sight @ views.mats[first]
        least = np.full(len(line), np.inf)
        for view, cm in cover.items():
            rr, cc = views.corners(line, view)
            ok = (rr >= 0) & (cc >= 0) & (rr < cm.shape[0]) & (cc < cm.shape[1])
            here = np.zeros(len(line))
            here[ok] = cm[rr[ok], cc[ok]]
            least = np.minimum(least, here)
        peaks = (least >= MIN_COVER) & (least == ndimage.maximum_filter(least, size=5))
        out += [line[k] for k in np.flatnonzero(peaks)]
    return out
