"""Fit the orthographic projection of a structure onto one of the item's images, from the atoms it shows.

Nothing about the camera is given: the scale (pixels per Å), the pixel where the screen origin (the scene
centre) falls, and the in-plane rotation are fitted by matching the structure's sticks (atom centres and
points along each bond, each with its colour class) against the pixels `detect_atoms` classified, by
iterative closest points with a similarity transform (Umeyama), class by class, trimmed so that occluded
atoms and labels do not pull the fit. The same fit run on the mirror image of the structure checks the view
convention (front = looking down −Z of the file's frame, X right, Y up): the convention holds when the
unmirrored fit is clearly better and its rotation is near zero.

`match_cost` scores any posed structure against an image under a fitted projection: the mean distance, in
Å, between projected sticks and image pixels of the same class (both ways, each capped), so hypotheses are
compared by where atoms are, not by how a particular renderer shades them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel
from scipy import ndimage
from scipy.spatial import cKDTree

from tools.camera import Pose, parse_commands, view_matrix, zoom_factor
from tools.perception.atoms import COLOUR_CLASSES, LABEL, AtomDetection, atom_class
from tools.render.scene import StructureRef
from tools.structure import Complex

Content = Literal["complex", "pocket", "ligand"]
# Matching merges the two pocket-carbon colours: renderers may start the alternation on either colour.
MATCH_CLASSES = ("O", "N", "ligand_C", "pocket_C", "other")
_TO_MATCH = np.array([0, 1, 2, 3, 3, 4])  # COLOUR_CLASSES index -> MATCH_CLASSES index
BOND_STEP = 0.35  # Å between samples along a bond
GOOD_COST = 0.25  # Å: a fit this close needs no other start or content
CAP_ANGSTROM = 1.0  # distances are capped here when scoring: an unmatched point costs at most this


@dataclass
class StickModel:
    """Points along the structure's sticks in screen coordinates (Å), each with its match class."""

    xyz: np.ndarray  # (N, 3)
    cls: np.ndarray  # (N,) index into MATCH_CLASSES
    zoom: float  # apparent magnification of this pose (move z), relative to the unmoved scene
    is_ligand: np.ndarray | None = None  # (N,) bool

    @property
    def n(self) -> int:
        return len(self.cls)


def _pocket_bonds(xyz: np.ndarray, elements: list[str]) -> list[tuple[int, int]]:
    pairs = cKDTree(xyz).query_pairs(2.1, output_type="ndarray")
    if len(pairs) == 0:
        return []
    d = np.linalg.norm(xyz[pairs[:, 0]] - xyz[pairs[:, 1]], axis=1)
    heavy = np.array([e.upper() in {"S", "SE"} for e in elements])
    limit = np.where(heavy[pairs[:, 0]] | heavy[pairs[:, 1]], 2.1, 1.9)
    return [(int(a), int(b)) for (a, b), ok in zip(pairs, d <= limit) if ok]


def _sticks(xyz: np.ndarray, cls: np.ndarray, bonds: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Atom centres plus points every BOND_STEP Å along each bond, each half in its atom's class."""
    if not bonds:
        return xyz, cls
    b = np.array(bonds)
    a_xyz, b_xyz = xyz[b[:, 0]], xyz[b[:, 1]]
    n = np.maximum(1, (np.linalg.norm(b_xyz - a_xyz, axis=1) / BOND_STEP).astype(int))
    bond_of = np.repeat(np.arange(len(b)), n - 1)
    if len(bond_of) == 0:
        return xyz, cls
    first = np.cumsum(n - 1) - (n - 1)
    k = np.arange(len(bond_of)) - first[bond_of] + 1
    t = k / n[bond_of]
    seg = a_xyz[bond_of] + t[:, None] * (b_xyz[bond_of] - a_xyz[bond_of])
    seg_cls = np.where(t < 0.5, cls[b[bond_of, 0]], cls[b[bond_of, 1]])
    return np.concatenate([xyz, seg]), np.concatenate([cls, seg_cls])


_BASE: dict[tuple[int, str], StickModel] = {}


def base_sticks(cx: Complex, content: Content = "complex") -> StickModel:
    """The unmoved structure's sticks, centred on the scene centre (front-view screen coordinates)."""
    key = (id(cx), content)
    if key in _BASE:
        return _BASE[key]
    parts_xyz, parts_cls, parts_lig = [], [], []
    if content in {"complex", "pocket"}:
        parity = {r: i % 2 for i, r in enumerate(cx.pocket.residue_order())}
        cls = np.array(
            [
                _TO_MATCH[COLOUR_CLASSES.index(atom_class(e, False, parity[r]))]
                for e, r in zip(cx.pocket.elements, cx.pocket.residues)
            ]
        )
        pocket = cx.pocket.coords - cx.centre
        p, c = _sticks(pocket, cls, _pocket_bonds(pocket, cx.pocket.elements))
        parts_xyz.append(p)
        parts_cls.append(c)
        parts_lig.append(np.zeros(len(c), dtype=bool))
    if content in {"complex", "ligand"}:
        elements = cx.ligand.atoms.elements
        cls = np.array([_TO_MATCH[COLOUR_CLASSES.index(atom_class(e, True))] for e in elements])
        p, c = _sticks(cx.ligand.atoms.coords - cx.centre, cls, [(a, b) for a, b, _ in cx.ligand.bonds])
        parts_xyz.append(p)
        parts_cls.append(c)
        parts_lig.append(np.ones(len(c), dtype=bool))
    model = StickModel(
        np.concatenate(parts_xyz), np.concatenate(parts_cls).astype(int), 1.0, np.concatenate(parts_lig)
    )
    if len(_BASE) > 64:
        _BASE.clear()
    _BASE[key] = model
    return model


def pose_model(
    base: StickModel,
    ligand_centroid: np.ndarray,
    scene: str = "",
    ligand_motion: str = "",
    view: str = "front",
) -> StickModel:
    """The base sticks after the commands, seen from `view` (as tools/render/scene.py poses atoms)."""
    xyz = base.xyz.copy()
    if ligand_motion and base.is_ligand is not None:
        lig_pose = Pose(pivot=ligand_centroid).apply(parse_commands(ligand_motion))
        xyz[base.is_ligand] = lig_pose.transform(xyz[base.is_ligand])
    pose = Pose().apply(parse_commands(scene))
    rot = view_matrix(view)
    xyz = pose.transform(xyz) @ rot.T
    zoom = zoom_factor(float((rot @ pose.centre)[2]))
    return StickModel(xyz, base.cls, zoom, base.is_ligand)


def stick_model(
    cx: Complex,
    structure: StructureRef | None = None,
    content: Content = "complex",
    scene: str = "",
    ligand_motion: str = "",
    view: str = "front",
) -> StickModel:
    """The posed structure as it would be drawn: `scene` and `ligand_motion` in the paper's commands."""
    centroid = cx.ligand.atoms.coords.mean(axis=0) - cx.centre
    return pose_model(base_sticks(cx, content), centroid, scene, ligand_motion, view)


class Projection(BaseModel):
    """Screen coordinates (Å, X right, Y up) to pixels (column, row): p = centre + scale · R(θ) · (±x, −y)."""

    scale: float  # pixels per Å at the unmoved scene's depth
    centre: tuple[float, float]  # pixel (column, row) of the screen origin
    rotation_deg: float = 0.0  # counter-clockwise on screen
    mirrored: bool = False  # True: the image shows the scene from behind (X flipped)
    # the pixel the camera looks at (the image centre): a zoom magnifies about it, so a scene centre drawn
    # off-centre moves outwards as it comes closer; None = the scene centre's pixel
    look_at: tuple[float, float] | None = None

    def project(self, xyz: np.ndarray, zoom: float = 1.0) -> np.ndarray:
        u = -xyz[:, 0] if self.mirrored else xyz[:, 0]
        v = xyz[:, 1]
        t = np.radians(self.rotation_deg)
        c, s = np.cos(t), np.sin(t)
        k = self.scale * zoom
        look = self.look_at or self.centre
        c0 = look[0] + zoom * (self.centre[0] - look[0])
        r0 = look[1] + zoom * (self.centre[1] - look[1])
        col = c0 + k * (c * u - s * v)
        row = r0 - k * (s * u + c * v)
        return np.stack([col, row], axis=1)


class Calibration(BaseModel):
    """A fitted projection and how well it fits."""

    projection: Projection
    content: Content
    rms_px: float  # root-mean-square distance of the matched (inlier) pairs
    inlier_fraction: float  # projected stick points (inside the image) with a same-class pixel near
    cost_angstrom: float  # match_cost of the fit (mean capped distance, Å; lower is better)
    n_points: int  # stick points projected inside the image
    mirrored_cost_angstrom: float | None = None  # the same fit on the mirrored structure
    convention_verified: bool = False  # unmirrored fit clearly better and rotation within 3°
    quality: Literal["good", "fair", "poor"] = "poor"

    @property
    def pixels_per_angstrom(self) -> float:
        return self.projection.scale


@dataclass
class ImageTarget:
    """What a fit needs from an image: per-class pixel sets and distance maps (labels count as unknown)."""

    points: list[np.ndarray]  # per match class: (M, 2) pixel (column, row)
    trees: list[cKDTree | None]
    distance: list[np.ndarray]  # per match class: pixel distance to the nearest pixel of that class or label
    foreground: np.ndarray  # (rows, cols) bool: atoms or labels
    size: tuple[int, int]  # (width, height)

    @classmethod
    def from_detection(cls, det: AtomDetection, step: int | None = None) -> ImageTarget:
        width, height = det.size
        step = step or max(1, round(min(width, height) / 256))
        match_map = np.where(det.class_map >= 0, _TO_MATCH[np.clip(det.class_map, 0, None)], -1)
        label = det.class_map == LABEL
        points, trees, dist = [], [], []
        for k in range(len(MATCH_CLASSES)):
            m = match_map == k
            rows, cols = np.nonzero(m[::step, ::step])
            # pixel (i, j) covers [i, i + 1): its centre is at i + 0.5, as `project` counts
            pts = np.stack([cols * step, rows * step], axis=1).astype(float) + 0.5
            points.append(pts)
            trees.append(cKDTree(pts) if len(pts) else None)
            known = m | label
            dist.append(
                ndimage.distance_transform_edt(~known).astype(np.float32)
                if known.any()
                else np.full(m.shape, 1e4, np.float32)
            )
        return cls(points, trees, dist, det.class_map != -1, (width, height))


def _inside(px: np.ndarray, size: tuple[int, int], margin: float = 0.0) -> np.ndarray:
    return (
        (px[:, 0] >= margin)
        & (px[:, 0] < size[0] - margin)
        & (px[:, 1] >= margin)
        & (px[:, 1] < size[1] - margin)
    )


def match_cost(
    px: np.ndarray, cls: np.ndarray, target: ImageTarget, scale: float, cap_angstrom: float = CAP_ANGSTROM
) -> tuple[float, int]:
    """Mean capped distance (Å) between projected stick points and same-class image pixels, both ways.

    Model → image uses the image's distance maps (a point under a label is not penalised); image → model
    asks of every image pixel how far the nearest projected point of its class is. Returns (cost, points
    inside the image).
    """
    cap = cap_angstrom * scale
    inside = _inside(px, target.size)
    n_in = int(inside.sum())
    if n_in < 3:
        return cap_angstrom, n_in
    p, c = px[inside], cls[inside]
    cols = np.clip(p[:, 0].astype(int), 0, target.size[0] - 1)
    rows = np.clip(p[:, 1].astype(int), 0, target.size[1] - 1)
    forward = np.empty(len(p))
    for k in range(len(MATCH_CLASSES)):
        sel = c == k
        if sel.any():
            forward[sel] = target.distance[k][rows[sel], cols[sel]]
    backward_sum, backward_n = 0.0, 0
    for k in range(len(MATCH_CLASSES)):
        img = target.points[k]
        if len(img) == 0:
            continue
        model = p[c == k]
        if len(model) == 0:
            backward_sum += cap * len(img)
        else:
            d, _ = cKDTree(model).query(img, distance_upper_bound=cap)
            backward_sum += float(np.minimum(d, cap).sum())
        backward_n += len(img)
    f = float(np.minimum(forward, cap).mean())
    b = backward_sum / backward_n if backward_n else cap
    return (f + b) / 2.0 / scale, n_in


def _umeyama(
    src: np.ndarray, dst: np.ndarray, w: np.ndarray, rotate: bool
) -> tuple[float, float, np.ndarray]:
    """Weighted similarity dst ≈ s·R(φ)·src + t in the plane; returns (s, φ, t)."""
    w = w / w.sum()
    ms, md = w @ src, w @ dst
    a, b = src - ms, dst - md
    var = float(w @ np.sum(a * a, axis=1))
    sxx = float(w @ (a[:, 0] * b[:, 0] + a[:, 1] * b[:, 1]))
    sxy = float(w @ (a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]))
    phi = float(np.arctan2(sxy, sxx)) if rotate else 0.0
    c, s_ = np.cos(phi), np.sin(phi)
    scale = (c * sxx + s_ * sxy) / max(var, 1e-12)
    r = np.array([[c, -s_], [s_, c]])
    t = md - scale * (r @ ms)
    return scale, phi, t


def _plane(xyz: np.ndarray, mirrored: bool) -> np.ndarray:
    """Screen coordinates in pixel orientation (x right, y down), before scale and rotation."""
    return np.stack([-xyz[:, 0] if mirrored else xyz[:, 0], -xyz[:, 1]], axis=1)


def _icp(
    model: StickModel, target: ImageTarget, start: Projection, rotate: bool, iterations: int = 40
) -> tuple[Projection, float, float]:
    """Refine a projection; returns it with the rms of the inlier pairs (px) and the inlier fraction."""
    q = _plane(model.xyz, start.mirrored) * model.zoom
    proj = start
    unit = start.scale * model.zoom  # pixels per Å at the start: capture radii stay fixed in pixels
    rms, frac = float("inf"), 0.0
    for it in range(iterations):
        px = proj.project(model.xyz, model.zoom)
        # the capture radius shrinks from 2 Å to 0.6 Å as the fit settles
        cap = unit * max(0.6, 2.0 * (1 - it / (0.6 * iterations)))
        # points near the frame edge are left out both ways: their partners may lie outside the image,
        # which would pull a cropped (zoomed) view's scale down
        margin = 2.0 * cap
        inside = _inside(px, target.size, margin)
        src, dst = [], []
        n_in, n_ok = int(inside.sum()), 0
        for k in range(len(MATCH_CLASSES)):
            tree, img = target.trees[k], target.points[k]
            sel = inside & (model.cls == k)
            if tree is None or not sel.any():
                continue
            img_in = img[_inside(img, target.size, margin)]
            d, j = tree.query(px[sel], distance_upper_bound=cap)
            ok = np.isfinite(d)
            n_ok += int(ok.sum())
            src.append(q[sel][ok])
            dst.append(img[j[ok]])
            d2, j2 = cKDTree(px[sel]).query(img_in, distance_upper_bound=cap)
            ok2 = np.isfinite(d2)
            src.append(q[sel][j2[ok2]])
            dst.append(img_in[ok2])
        if not src or sum(len(s) for s in src) < 6:
            break
        s_all, d_all = np.concatenate(src), np.concatenate(dst)
        scale, phi, t = _umeyama(s_all, d_all, np.ones(len(s_all)), rotate)
        if not np.isfinite(scale) or not 0.67 < scale / unit < 1.5:
            break  # a collapsing or exploding fit: keep the last sane projection
        new = Projection(
            scale=float(scale),
            centre=(float(t[0]), float(t[1])),
            rotation_deg=float(-np.degrees(phi)),
            mirrored=start.mirrored,
        )
        r = np.array([[np.cos(phi), -np.sin(phi)], [np.sin(phi), np.cos(phi)]])
        resid = d_all - (scale * s_all @ r.T + t)
        rms = float(np.sqrt(np.mean(np.sum(resid**2, axis=1))))
        frac = n_ok / max(n_in, 1)
        moved = abs(new.scale - proj.scale) / proj.scale + np.hypot(
            new.centre[0] - proj.centre[0], new.centre[1] - proj.centre[1]
        ) / max(target.size)
        proj = new
        if it > 0.6 * iterations and moved < 1e-5:
            break
    return proj, rms, frac


def _initial(model: StickModel, target: ImageTarget, mirrored: bool) -> Projection:
    """Scale from the spread of the atom pixels against the structure's, centre from the centroids; repeated
    over the structure points that land inside the image, so a zoomed, cropped view starts right too."""
    img = np.concatenate([p for p in target.points if len(p)] or [np.zeros((1, 2))])
    q_all = _plane(model.xyz, mirrored) * model.zoom
    spread_img = float(np.sqrt(np.mean(np.sum((img - img.mean(axis=0)) ** 2, axis=1))))
    keep = np.ones(len(q_all), dtype=bool)
    proj = Projection(scale=1.0, centre=(0.0, 0.0), mirrored=mirrored)
    for _ in range(8):
        q = q_all[keep] if keep.sum() >= 10 else q_all
        spread_model = float(np.sqrt(np.mean(np.sum((q - q.mean(axis=0)) ** 2, axis=1))))
        scale = spread_img / max(spread_model, 1e-6)
        centre = img.mean(axis=0) - scale * q.mean(axis=0)
        proj = Projection(scale=scale, centre=(float(centre[0]), float(centre[1])), mirrored=mirrored)
        inside = _inside(proj.project(model.xyz, model.zoom), target.size)
        if np.array_equal(inside, keep):
            break
        keep = inside
    return proj


def fit_projection(
    model: StickModel,
    target: ImageTarget,
    mirrored: bool = False,
    start: Projection | None = None,
    rotate: bool = True,
) -> tuple[Projection, float, float, float]:
    """Best projection of `model` onto `target`: (projection, cost Å, rms px, inlier fraction)."""
    starts = [start] if start is not None else []
    if not starts:
        base = _initial(model, target, mirrored)
        starts = [base.model_copy(update={"scale": base.scale * f}) for f in (1.0, 0.85, 1.2, 0.7, 1.45)]
    best: tuple[Projection, float, float, float] | None = None
    for s0 in starts:
        proj, rms, frac = _icp(model, target, s0, rotate)
        cost, _ = match_cost(proj.project(model.xyz, model.zoom), model.cls, target, proj.scale * model.zoom)
        if best is None or cost < best[1]:
            best = (proj, cost, rms, frac)
        if cost < GOOD_COST:
            break
    assert best is not None
    return best


def calibrate(
    det: AtomDetection,
    cx: Complex,
    structure: StructureRef,
    content: Content | Literal["auto"] = "auto",
    scene: str = "",
    view: str = "front",
    check_convention: bool = True,
) -> Calibration:
    """Fit the projection of the structure (posed by `scene`, seen from `view`) onto a detected image.

    content 'auto' tries the complex, the pocket alone and the ligand alone and keeps the best fit.
    """
    target = ImageTarget.from_detection(det)
    contents: list[Content] = ["complex", "pocket", "ligand"] if content == "auto" else [content]
    fits = []
    for c in contents:
        model = stick_model(cx, structure, c, scene=scene, view=view)
        proj, cost, rms, frac = fit_projection(model, target)
        n_in = int(_inside(proj.project(model.xyz, model.zoom), target.size).sum())
        fits.append((cost, c, model, proj, rms, frac, n_in))
        if cost < GOOD_COST:
            break
    cost, c, model, proj, rms, frac, n_in = min(fits, key=lambda f: f[0])
    if model.zoom == 1.0:  # the fitted centre is the unzoomed one: zooms of it turn about the image centre
        proj = proj.model_copy(update={"look_at": (target.size[0] / 2.0, target.size[1] / 2.0)})
    mirrored_cost = None
    verified = False
    if check_convention:
        _, mirrored_cost, _, _ = fit_projection(model, target, mirrored=True)
        verified = bool(mirrored_cost > 1.15 * cost and abs(proj.rotation_deg) < 3.0)
    quality: Literal["good", "fair", "poor"] = (
        "good" if cost < GOOD_COST and frac > 0.6 else "fair" if cost < 0.45 and frac > 0.4 else "poor"
    )
    return Calibration(
        projection=proj,
        content=c,
        rms_px=round(rms, 3),
        inlier_fraction=round(frac, 3),
        cost_angstrom=round(cost, 4),
        n_points=n_in,
        mirrored_cost_angstrom=None if mirrored_cost is None else round(mirrored_cost, 4),
        convention_verified=verified,
        quality=quality,
    )
