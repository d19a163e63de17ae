"""Geometry on what the images show: motions between views from label correspondences, zoom from the
atoms' colour classes, distances and angles in the rebuilt scene, and candidate hydrogen-bond partners.

Every fit reports what it rests on (how many correspondences, the residual in pixels, the runner-up) so a
caller can tell a measurement that decides from one that does not.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel

from tools.camera import Pose, parse_commands
from tools.perception.atoms import AtomDetection
from tools.perception.labels import LabelReading
from tools.perception.scene import SceneModel, project_px, screen_uv


class Fit(BaseModel):
    commands: str
    residual_px: float  # median distance between predicted and observed label centres
    matched: int
    shift_px: tuple[float, float] = (0.0, 0.0)  # fitted in-plane shift (x right, y up), when allowed


class MotionFit(BaseModel):
    best: list[Fit]  # best first
    matched_labels: list[str]
    decisive: bool  # enough labels, a small residual and a clear margin over the runner-up
    reason: str


def rotation_of(commands: str) -> np.ndarray:
    return Pose().apply(parse_commands(commands)).matrix[:3, :3]


def correspondences(model: SceneModel, target: LabelReading) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Texts present in the model and read once in the target: model xyz (px) and target pixels."""
    unique = target.unique()
    found = [(p.text, p.xyz_px) for p in model.points if p.text in unique]
    texts = [t for t, _ in found]
    xyz = np.array([xyz for _, xyz in found]).reshape(-1, 3)
    obs = np.array([unique[t].centre for t in texts]).reshape(-1, 2)
    return texts, xyz, obs


def fit_motion(
    model: SceneModel,
    target: LabelReading,
    candidates: list[str],
    translate: bool = False,
    min_matches: int = 2,
    max_residual_px: float = 6.0,
) -> MotionFit:
    """Rank candidate rotations (command strings) by how well they carry the model onto the target labels."""
    texts, xyz, obs = correspondences(model, target)
    fits: list[Fit] = []
    if len(texts) >= 1:
        for cand in candidates:
            pred = project_px(xyz, rotation_of(cand), model.image_size)
            shift = np.zeros(2)
            if translate:
                shift = np.median(obs - pred, axis=0)
            err = np.linalg.norm(pred + shift - obs, axis=1)
            fits.append(
                Fit(
                    commands=cand,
                    residual_px=round(float(np.median(err)), 2),
                    matched=len(texts),
                    shift_px=(round(float(shift[0]), 2), round(float(-shift[1]), 2)),
                )
            )
    fits.sort(key=lambda f: f.residual_px)
    decisive, reason = _decide(fits, len(texts), min_matches, max_residual_px)
    return MotionFit(best=fits[:8], matched_labels=texts, decisive=decisive, reason=reason)


def _adjacent(a: str, b: str) -> bool:
    """Two single rolls about one axis 15° or less apart: telling them apart only refines the angle."""
    ca, cb = parse_commands(a), parse_commands(b)
    if len(ca) != 1 or len(cb) != 1:
        return False
    return ca[0].axis == cb[0].axis and abs(ca[0].value - cb[0].value) <= 15.0 + 1e-9


def _decide(fits: list[Fit], n: int, min_matches: int, max_residual: float) -> tuple[bool, str]:
    if n < min_matches:
        return (
            False,
            f"only {n} label(s) read both in the model's views and in the target (need {min_matches})",
        )
    best = fits[0]
    if best.residual_px > max_residual:
        return False, f"the best candidate still misses by {best.residual_px} px (more than {max_residual})"
    rivals = [f for f in fits[1:] if not _adjacent(f.commands, best.commands)]
    if rivals and rivals[0].residual_px < 1.5 * best.residual_px + 2.0:
        return False, (
            f"'{best.commands}' ({best.residual_px} px) and '{rivals[0].commands}' "
            f"({rivals[0].residual_px} px) fit about equally well"
        )
    return True, f"'{best.commands}' fits {n} labels to {best.residual_px} px"


class ShiftFit(BaseModel):
    shift_px: tuple[float, float] | None  # x right, y up
    scale: float | None  # b size / a size about the image centre
    matched: int
    residual_px: float | None
    matched_labels: list[str]


def fit_similarity(a: LabelReading, b: LabelReading, with_scale: bool = True) -> ShiftFit:
    """In-plane shift (and scale about the image centre) carrying a's labels onto b's, robustly."""
    ua, ub = a.unique(), b.unique()
    texts = sorted(set(ua) & set(ub))
    if not texts:
        return ShiftFit(shift_px=None, scale=None, matched=0, residual_px=None, matched_labels=[])
    pa = np.array([screen_uv(ua[t], a.image_size) for t in texts])
    pb = np.array([screen_uv(ub[t], b.image_size) for t in texts])
    keep = np.ones(len(texts), dtype=bool)
    k, t = 1.0, np.zeros(2)
    for _ in range(3):
        if with_scale and keep.sum() >= 3:
            x, y = pa[keep], pb[keep]
            xm, ym = x.mean(axis=0), y.mean(axis=0)
            k = float(np.sum((x - xm) * (y - ym)) / max(np.sum((x - xm) ** 2), 1e-9))
            t = ym - k * xm
        else:
            t = np.median(pb[keep] - pa[keep], axis=0)
        err = np.linalg.norm(k * pa + t - pb, axis=1)
        keep = err <= max(3.0, 3 * float(np.median(err)))
    err = np.linalg.norm(k * pa + t - pb, axis=1)
    return ShiftFit(
        shift_px=(round(float(t[0]), 2), round(float(t[1]), 2)),
        scale=round(k, 5) if with_scale else None,
        matched=int(keep.sum()),
        residual_px=round(float(np.median(err[keep])), 2),
        matched_labels=[x for x, ok in zip(texts, keep) if ok],
    )


class ZoomFit(BaseModel):
    scores: list[tuple[float, float]]  # (scale, agreement) best first
    best_scale: float
    margin: float  # agreement of the best minus the runner-up's


def fit_zoom(a: AtomDetection, b: AtomDetection, factors: list[float]) -> ZoomFit:
    """Which scale about the image centre makes a's atom colour classes land on b's (labels excluded)."""
    h, w = a.class_map.shape
    rows, cols = np.nonzero(b.class_map >= 0)
    cls_b = b.class_map[rows, cols]
    scores = []
    for k in factors:
        src_c = np.rint((cols - w / 2.0) / k + w / 2.0).astype(int)
        src_r = np.rint((rows - h / 2.0) / k + h / 2.0).astype(int)
        inside = (src_c >= 0) & (src_c < w) & (src_r >= 0) & (src_r < h)
        agree = np.zeros(len(rows), dtype=bool)
        agree[inside] = a.class_map[src_r[inside], src_c[inside]] == cls_b[inside]
        scores.append((float(k), float(agree.mean()) if len(agree) else 0.0))
    ranked = sorted(scores, key=lambda s: -s[1])
    margin = ranked[0][1] - ranked[1][1] if len(ranked) > 1 else ranked[0][1]
    return ZoomFit(
        scores=[(round(k, 5), round(s, 5)) for k, s in ranked], best_scale=ranked[0][0], margin=margin
    )


# Which residue atoms can donate or accept a hydrogen bond (heavy atoms, PDB names).
HBOND_ATOMS: dict[str, list[str]] = {
    "ARG": ["NE", "NH1", "NH2"],
    "ASN": ["OD1", "ND2"],
    "ASP": ["OD1", "OD2"],
    "CYS": ["SG"],
    "GLN": ["OE1", "NE2"],
    "GLU": ["OE1", "OE2"],
    "HIS": ["ND1", "NE2"],
    "LYS": ["NZ"],
    "MET": ["SD"],
    "SER": ["OG"],
    "THR": ["OG1"],
    "TRP": ["NE1"],
    "TYR": ["OH"],
}
BACKBONE_ATOMS = ["N", "O"]

# Å from CA to the farthest hydrogen-bonding atom of each residue (extended side chains)
SIDE_CHAIN_REACH = {
    "ARG": 7.3,
    "LYS": 6.4,
    "GLN": 5.0,
    "GLU": 5.0,
    "HIS": 4.6,
    "TYR": 7.9,
    "TRP": 6.8,
    "ASN": 3.7,
    "ASP": 3.7,
    "SER": 2.5,
    "THR": 2.5,
    "CYS": 2.8,
    "MET": 4.6,
}
BACKBONE_REACH = 2.4  # CA to the backbone O (N is closer)


def hbond_reach(resname: str) -> float:
    """How far from its CA a residue's hydrogen-bonding atoms (side chain or backbone) can be, in Å."""
    return max(SIDE_CHAIN_REACH.get(resname.upper(), 0.0), BACKBONE_REACH)


def residue_partners(resname: str) -> list[str]:
    """Atom names of a residue that chemistry allows as hydrogen-bond partners (side chain, then backbone)."""
    return HBOND_ATOMS.get(resname.upper(), []) + BACKBONE_ATOMS


def distance(model: SceneModel, a: str, b: str) -> float | None:
    pa, pb = model.point(a), model.point(b)
    if pa is None or pb is None or not model.scale.pixels_per_angstrom:
        return None
    return float(np.linalg.norm(np.subtract(pa.xyz_px, pb.xyz_px)) / model.scale.pixels_per_angstrom)


def angle(model: SceneModel, a: str, b: str, c: str) -> float | None:
    """Angle a–b–c in degrees (scale-free)."""
    pa, pb, pc = (model.point(t) for t in (a, b, c))
    if pa is None or pb is None or pc is None:
        return None
    u = np.subtract(pa.xyz_px, pb.xyz_px)
    v = np.subtract(pc.xyz_px, pb.xyz_px)
    cos = float(np.dot(u, v) / max(np.linalg.norm(u) * np.linalg.norm(v), 1e-9))
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))
