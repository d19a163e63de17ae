"""The residue's own label in every view: placed by triangulating where it was read, and its glyph size."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tools.camera import view_matrix
from tools.perception.labels import Label
from tools.perception.polar_pixels import PAIRS, Box, PolarPixels

LABEL_RESIDUAL_PX = 6.0  # the residue label's centres must agree this well to place it where it was not read


def _triangulate(centres: Mapping[str, tuple[float, float]], width: int) -> tuple[np.ndarray, float]:
    """A point seen at pixel `centres` in named views, front-view pixels (x right, y up, z to the
    viewer), and the largest miss in px."""
    rows, rhs = [], []
    for v, (col, row) in centres.items():
        rot = view_matrix(v)
        rows += [rot[0], rot[1]]
        rhs += [col - width / 2, width / 2 - row]
    a, b = np.array(rows), np.array(rhs)
    x, *_ = np.linalg.lstsq(a, b, rcond=None)
    return x, float(np.hypot(*(a @ x - b).reshape(-1, 2).T).max())


def place_residue_label(labels: Mapping[str, Label], width: int) -> dict[str, Box]:
    """The residue's label box in every view, from the views where it was read: its anchor (the CA) is
    triangulated from the text centroids and the label, drawn the same size in every view, is centred there.
    A reading that disagrees with the others is dropped when it alone is the odd one out; when none is, or
    fewer than two projection directions are left, only the boxes read are returned."""
    read = dict(labels)
    while True:
        if len({next(i for i, p in enumerate(PAIRS) if v in p) for v in read}) < 2:
            return {v: lab.box for v, lab in labels.items()}
        x, miss = _triangulate({v: lab.centre for v, lab in read.items()}, width)
        if miss <= LABEL_RESIDUAL_PX:
            break
        # drop the reading whose removal leaves the others agreeing best
        if len(read) <= 2:
            return {v: lab.box for v, lab in labels.items()}
        misses = {
            d: _triangulate({v: lab.centre for v, lab in read.items() if v != d}, width)[1] for d in read
        }
        ranked = sorted(misses, key=misses.__getitem__)
        if misses[ranked[1]] - misses[ranked[0]] < 1.0:  # no one reading is the odd one out: place nothing
            return {v: lab.box for v, lab in labels.items()}
        del read[ranked[0]]
    # the label's size: the smallest box read (larger ones took in neighbouring text)
    w = min(lab.box[2] - lab.box[0] for lab in read.values()) / 2
    h = min(lab.box[3] - lab.box[1] for lab in read.values()) / 2
    out: dict[str, Box] = {}
    for pair in PAIRS:
        for v in pair:
            rot = view_matrix(v)
            col, row = float(rot[0] @ x) + width / 2, width / 2 - float(rot[1] @ x)
            out[v] = (int(col - w), int(row - h), int(np.ceil(col + w)), int(np.ceil(row + h)))
    return out


def _stem_height(text: np.ndarray) -> float:
    """The glyphs' height in px: the longest vertical run of text in each column is a stem's height where a
    letter or digit has one; their 90th percentile is the glyph height, which neighbouring text overlapping
    a few columns does not lengthen as it does the OCR box."""
    longest = []
    for col in text.T[text.any(axis=0)]:
        d = np.diff(np.concatenate([[0], col.astype(np.int8), [0]]))
        longest.append(int((np.flatnonzero(d == -1) - np.flatnonzero(d == 1)).max()))
    return float(np.percentile(longest, 90)) if longest else 0.0


def glyph_size(labels: Mapping[str, Label], views: Mapping[str, PolarPixels]) -> tuple[float, float] | None:
    """Glyph (height, width) in px, measured on the residue's own label's text pixels where it was read
    (not on the OCR box, which is padded): the smallest of the views. All labels share one font and size;
    the width is per character, spaces included, so that it errs narrow; the height is the stems'."""
    sizes = []
    for v, lab in labels.items():
        own = views[v].own_label if v in views else None
        if own is None or not own.any() or not lab.text.strip():
            continue
        _, cols = np.nonzero(own)
        sizes.append((_stem_height(own), (cols.max() - cols.min() + 1) / len(lab.text)))
    if not sizes:
        return None
    return min(h for h, _ in sizes), min(w for _, w in sizes)
