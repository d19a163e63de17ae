"""The atoms rebuilt in 3D from the standard views by colour class, and the rotations that carry them onto
another image. No labels and no OCR: only which colour each part of each view shows.

The standard views are orthographic projections of one scene about its centre (the image centre), related
by known rotations and drawn at one scale. A point of space belongs to the scene only if every view shows
an atom (or a label, which may hide one) where it projects: carving space with the views' silhouettes
leaves the visual hull. Each surviving cell keeps, per colour class, how many views show that class at its
projection. Occlusion means a view may show another class in front of it, so a class needs the support of
most views, not all.

A candidate rotation is tested by rotating the hull, projecting it, and measuring how well the projected
classes cover the classes the other image shows (intersection over union summed over classes). With
`translate` the best in-plane shift is found first (cross-correlation), so a motion that also moves the
scene is tested by its rotation alone. Everything works on a coarse grid of cells (4 px at 512 px), which
absorbs the hull's blur and small rendering differences.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from pydantic import BaseModel

from tools.camera import Pose, parse_commands, view_matrix
from tools.perception.atoms import COLOUR_CLASSES, LABEL, classify_pixels, load_rgb

N_CLASSES = len(COLOUR_CLASSES)
MIN_PIXELS = 2  # pixels of a class a cell needs to count as showing it
ImageLike = str | Path | Image.Image | np.ndarray


def cell_size(width: int) -> int:
    """Cell edge in pixels: 4 at 512 px, proportional to the image size."""
    return max(2, round(4 * width / 512))


def cell_maps(image: ImageLike, cell: int | None = None) -> np.ndarray:
    """Per cell of the image: which colour classes it shows, and (last plane) whether it shows label text.

    Returns a boolean array of shape (classes + 1, rows, columns) in cells.
    """
    class_map, _ = classify_pixels(load_rgb(image))
    h, w = class_map.shape
    if h != w:
        raise ValueError(f"views must be square, got {w}x{h}")
    c = cell or cell_size(w)
    g = h // c
    blocks = class_map[: g * c, : g * c].reshape(g, c, g, c)
    out = np.zeros((N_CLASSES + 1, g, g), dtype=bool)
    for k in range(N_CLASSES):
        out[k] = (blocks == k).sum(axis=(1, 3)) >= MIN_PIXELS
    out[N_CLASSES] = (blocks == LABEL).sum(axis=(1, 3)) >= MIN_PIXELS
    return out


def rotation_of(commands: str) -> np.ndarray:
    """The screen-space rotation of a command string (moves ignored)."""
    rolls = ", ".join(c.strip() for c in commands.split(",") if c.strip().startswith("roll"))
    return Pose().apply(parse_commands(rolls or "roll z 0")).matrix[:3, :3]


def _project(xyz: np.ndarray, rotation: np.ndarray, g: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p = xyz @ rotation.T
    col = np.floor(p[:, 0] + g / 2).astype(int)
    row = np.floor(g / 2 - p[:, 1]).astype(int)
    inside = (row >= 0) & (row < g) & (col >= 0) & (col < g)
    return row, col, inside


@dataclass
class Hull:
    """Cells of space every view allows, with per-class support (number of views showing that class)."""

    xyz: np.ndarray  # (n, 3) cell centres in cells: front frame, x right, y up, z to the viewer
    votes: np.ndarray  # (n, classes) int
    grid: int  # cells per image side
    cell: int  # pixels per cell
    views: list[str]

    @property
    def min_votes(self) -> int:
        """Support a class needs at a cell: most of the views (2 of 3, 3 of 6)."""
        return max(2, (len(self.views) + 1) // 2)

    def project(self, rotation: np.ndarray) -> np.ndarray:
        """The classes the hull would show after `rotation`: boolean (classes, rows, columns) in cells."""
        row, col, inside = _project(self.xyz, rotation, self.grid)
        out = np.zeros((N_CLASSES, self.grid, self.grid), dtype=bool)
        for k in range(N_CLASSES):
            sel = inside & (self.votes[:, k] >= self.min_votes)
            out[k, row[sel], col[sel]] = True
        return out


def carve(views: dict[str, np.ndarray], cell: int) -> Hull:
    """The visual hull of the scene from cell maps keyed by standard view name (front, left, top, ...);
    `cell` is the maps' cell size in pixels."""
    if len(views) < 2:
        raise ValueError("carving needs at least two views")
    grids = {v.shape[1:] for v in views.values()}
    if len(grids) != 1:
        raise ValueError(f"views differ in size ({sorted(grids)}): they must share one camera")
    g = next(iter(grids))[0]
    axis = np.arange(g) - g / 2 + 0.5
    xyz = np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1).reshape(-1, 3)
    votes = np.zeros((len(xyz), N_CLASSES), dtype=np.int16)
    for name, maps in views.items():
        row, col, inside = _project(xyz, view_matrix(name), g)
        seen = np.zeros((len(xyz), N_CLASSES + 1), dtype=bool)
        seen[inside] = maps[:, row[inside], col[inside]].T
        keep = seen.any(axis=1)  # an atom of some class, or a label that may hide one
        xyz, votes = xyz[keep], votes[keep] + seen[keep, :N_CLASSES]
    return Hull(xyz=xyz, votes=votes, grid=g, cell=cell, views=list(views))


def carve_images(images: Mapping[str, ImageLike]) -> Hull:
    """The visual hull straight from images keyed by standard view name."""
    cell = cell_size(load_rgb(next(iter(images.values()))).shape[1])
    return carve({v: cell_maps(im, cell) for v, im in images.items()}, cell)


def _best_shift(pred: np.ndarray, obs: np.ndarray, max_shift: int) -> tuple[int, int]:
    """Integer (rows, columns) shift of `pred` that overlaps `obs` most, summed over classes (FFT)."""
    g = pred.shape[1]
    fp = np.fft.rfft2(pred.astype(float), s=(2 * g, 2 * g))
    fo = np.fft.rfft2(obs.astype(float), s=(2 * g, 2 * g))
    corr = np.fft.irfft2((fo * np.conj(fp)).sum(axis=0), s=(2 * g, 2 * g))
    shifts = np.arange(-max_shift, max_shift + 1)
    window = corr[np.ix_(shifts % (2 * g), shifts % (2 * g))]
    r, c = np.unravel_index(int(np.argmax(window)), window.shape)
    return int(shifts[r]), int(shifts[c])


def _shifted(a: np.ndarray, dr: int, dc: int) -> np.ndarray:
    out = np.zeros_like(a)
    g = a.shape[1]
    rs, rd = (slice(0, g - dr), slice(dr, g)) if dr >= 0 else (slice(-dr, g), slice(0, g + dr))
    cs, cd = (slice(0, g - dc), slice(dc, g)) if dc >= 0 else (slice(-dc, g), slice(0, g + dc))
    out[:, rd, cd] = a[:, rs, cs]
    return out


def agreement(pred: np.ndarray, obs: np.ndarray) -> float:
    """Intersection over union of predicted and observed class cells, pooled over classes."""
    inter = int(np.count_nonzero(pred & obs))
    union = int(np.count_nonzero(pred | obs))
    return inter / union if union else 0.0


class RotationScore(BaseModel):
    commands: str
    agreement: float  # pooled intersection over union of the classes, 0..1
    shift_px: tuple[float, float] = (0.0, 0.0)  # in-plane shift fitted with the rotation (x right, y up)


class HullFit(BaseModel):
    ranked: list[RotationScore]  # best first
    decisive: bool
    reason: str
    hull_cells: int


NEAR_DEG = 20.0  # rotations closer than this look nearly alike; the bins are 15° apart


def rotation_angle(a: str, b: str) -> float:
    """Degrees of the rotation that carries command string a's orientation onto b's."""
    rel = rotation_of(a).T @ rotation_of(b)
    return float(np.degrees(np.arccos(np.clip((np.trace(rel) - 1.0) / 2.0, -1.0, 1.0))))


def near(a: str, b: str) -> bool:
    """Two candidates whose orientations differ by at most one bin (15°), however they are written:
    'roll x 90, roll z 15' and 'roll y 15, roll x 90' are one orientation. Telling such candidates apart
    only refines the angle; they are not rival answers."""
    return rotation_angle(a, b) <= NEAR_DEG


MIN_AGREEMENT = 0.12  # below this the hull and the image share too little for any verdict
MIN_RATIO = 1.2  # the best must beat the best rival (one not near it) by this factor


def fit_rotations(hull: Hull, target: np.ndarray, candidates: list[str], translate: bool = False) -> HullFit:
    """Rank candidate rotations by how well the rotated hull's classes cover the target's (cell maps).

    With `translate`, each rotation gets its best in-plane shift up to a quarter of the image.
    """
    obs = target[:N_CLASSES]
    if obs.shape[1] != hull.grid:
        raise ValueError(f"the target is {obs.shape[1]} cells wide, the views {hull.grid}")
    max_shift = hull.grid // 4 if translate else 0
    scores: list[RotationScore] = []
    for cand in candidates:
        pred = hull.project(rotation_of(cand))
        dr = dc = 0
        if max_shift:
            dr, dc = _best_shift(pred, obs, max_shift)
            pred = _shifted(pred, dr, dc)
        scores.append(
            RotationScore(
                commands=cand,
                agreement=round(agreement(pred, obs), 4),
                shift_px=(float(dc * hull.cell), float(-dr * hull.cell)),
            )
        )
    scores.sort(key=lambda s: -s.agreement)
    decisive, reason = decide(scores)
    return HullFit(ranked=scores[:8], decisive=decisive, reason=reason, hull_cells=len(hull.xyz))


def decide(scores: list[RotationScore]) -> tuple[bool, str]:
    if not scores:
        return False, "no candidates"
    best = scores[0]
    if best.agreement < MIN_AGREEMENT:
        return False, f"the best candidate covers only {best.agreement:.1%} of the image's classes"
    rivals = [s for s in scores[1:] if not near(s.commands, best.commands)]
    if rivals and best.agreement < MIN_RATIO * rivals[0].agreement:
        return False, (
            f"'{best.commands}' ({best.agreement:.3f}) and '{rivals[0].commands}' "
            f"({rivals[0].agreement:.3f}) fit about equally well"
        )
    runner = f", next rival '{rivals[0].commands}' {rivals[0].agreement:.3f}" if rivals else ""
    return True, f"'{best.commands}' covers {best.agreement:.3f} of the image's classes{runner}"
