"""Detections and calibrations of an item's images, computed once per item and kept in the tool context."""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from tools.base import ToolContext, ToolError
from tools.perception.atoms import AtomDetection, detect_atoms
from tools.perception.calibrate import CAP_ANGSTROM, Calibration, Content, ImageTarget, _inside, calibrate
from tools.structure.tools import item_complex


def detection(ctx: ToolContext, index: int) -> AtomDetection:
    key = f"detection:{index}"
    if key not in ctx.state:
        ctx.state[key] = detect_atoms(ctx.image_path(index))
    return ctx.state[key]


def target(ctx: ToolContext, index: int) -> ImageTarget:
    key = f"target:{index}"
    if key not in ctx.state:
        ctx.state[key] = ImageTarget.from_detection(detection(ctx, index))
    return ctx.state[key]


def image_view(ctx: ToolContext, index: int, default: str = "front") -> str:
    ctx.image_path(index)  # validates the index
    return getattr(ctx.item.images[index - 1], "view", None) or default


def calibration(
    ctx: ToolContext, index: int, view: str | None = None, content: Content | str = "auto", scene: str = ""
) -> Calibration:
    """The projection of the item's structure onto image `index` (which shows it posed by `scene`)."""
    view = view or image_view(ctx, index)
    key = f"calibration:{index}:{view}:{content}:{scene}"
    if key not in ctx.state:
        if ctx.item.structure is None:
            raise ToolError("this item has no structure to calibrate the image with")
        cx = item_complex(ctx)
        mode: Content | Literal["auto"] = "auto"
        if content in ("complex", "pocket", "ligand"):
            mode = content
        ctx.state[key] = calibrate(detection(ctx, index), cx, ctx.item.structure, mode, scene, view)
    return ctx.state[key]


def silhouette_cost(px: np.ndarray, det: AtomDetection, scale: float) -> float:
    """Mean capped distance (Å) between projected points and everything drawn (atoms and labels), both ways:
    for images where labels cover most atoms, the drawn shape is what can be compared."""
    key = id(det)
    cache = _SILHOUETTE.get(key)
    if cache is None or cache[0] is not det:
        fg = det.class_map != -1
        dist = ndimage.distance_transform_edt(~fg).astype(np.float32)
        rows, cols = np.nonzero(fg[::2, ::2])
        pts = np.stack([cols * 2, rows * 2], axis=1).astype(float) + 0.5
        cache = (det, dist, pts)
        _SILHOUETTE.clear()
        _SILHOUETTE[key] = cache
    _, dist, pts = cache
    cap = CAP_ANGSTROM * scale
    size = det.size
    inside = _inside(px, size)
    if inside.sum() < 3 or len(pts) == 0:
        return CAP_ANGSTROM
    p = px[inside]
    f = np.minimum(dist[p[:, 1].astype(int), p[:, 0].astype(int)], cap).mean()
    d, _ = cKDTree(p).query(pts, distance_upper_bound=cap)
    b = np.minimum(d, cap).mean()
    outside = 1.0 - inside.mean()  # points off the image cost the cap
    return float(((f + b) / 2.0 * (1 - outside) + cap * outside) / scale)


_SILHOUETTE: dict[int, tuple] = {}


def silhouette_shift(px: np.ndarray, det: AtomDetection, scale: float, iterations: int = 25) -> np.ndarray:
    """The pixel shift that best lays projected points onto what is drawn (centroids, then closest points)."""
    fg = det.class_map != -1
    rows, cols = np.nonzero(fg[::2, ::2])
    if len(rows) == 0:
        return np.zeros(2)
    pts = np.stack([cols * 2, rows * 2], axis=1).astype(float) + 0.5
    shift = pts.mean(axis=0) - px.mean(axis=0)
    tree = cKDTree(pts)
    for it in range(iterations):
        cap = scale * max(0.6, 3.0 * (1 - it / (0.7 * iterations)))
        q = px + shift
        d, j = tree.query(q, distance_upper_bound=cap)
        ok = np.isfinite(d)
        d2, j2 = cKDTree(q).query(pts, distance_upper_bound=cap)
        ok2 = np.isfinite(d2)
        if ok.sum() + ok2.sum() < 3:
            break
        delta = np.concatenate([pts[j[ok]] - q[ok], pts[ok2] - q[j2[ok2]]]).mean(axis=0)
        shift = shift + delta
        if np.hypot(*delta) < 1e-3:
            break
    return shift
