"""Rebuild a partial 3D scene from labels read in the standard views.

The standard views are orthographic projections of one scene related by known rotations about the scene
centre (tools/camera.py: left = roll y 90, top = roll x 90, back = roll y 180, right = roll y -90,
bottom = roll x -90), drawn by the same camera, so one pixel is the same length in every view and the
image centre is the projection of the scene centre. A label read in two views whose screen axes span all
three directions (front + left, front + top, left + top, ...) fixes its 3D position in the front view's
frame, in pixels. Least squares over every view that read it gives the position and its residual; a view
whose reading disagrees (a misread label) is dropped when the rest agree.

Positions are in *pixels* of the front view (X right, Y up, Z towards the viewer, origin at the image
centre). The length of a pixel in Å comes from chemistry, not from the camera: consecutive residues'
CA atoms are 3.80 Å apart (trans peptide), and ligand bonds are about 1.45 Å.
"""

from __future__ import annotations

from itertools import combinations
from typing import Literal

import numpy as np
from pydantic import BaseModel

from tools.camera import view_matrix
from tools.perception.glyphs import harvest
from tools.perception.label_match import locate
from tools.perception.labels import Label, LabelReading
from tools.perception.stacked_labels import read_stacked
from tools.perception.text_search import find_text

CA_CA = 3.80  # Å between consecutive CA atoms (trans peptide)
LIGAND_BOND = 1.45  # Å, a typical heavy-atom bond in a drug-like ligand
MAX_RESIDUAL_PX = 6.0  # a label whose views disagree by more is not a single point
CA_MIN = 3.6  # Å: no two CA atoms are closer (consecutive trans 3.80, with room for position error)
MIN_COMPOSED_ATOM = 3  # shorter ligand names ("C8") are found inside longer ones ("C8M", "C8'") too often:
# a short name is kept only when read stacked and nothing says its label goes on (stacked_labels._whole)
SAME_LABEL_PX = 8.0  # two located labels this close are one label read two ways, not two residues


class Point3D(BaseModel):
    text: str
    kind: str  # "residue" (anchor at the residue's CA) or "atom" (a ligand atom)
    xyz_px: tuple[float, float, float]  # front-view screen frame, pixels, origin at the image centre
    views: list[str]  # views whose readings were used
    residual_px: float  # RMS reprojection error over those views (0 for a template match: by construction)
    confidence: float
    element: str | None = None  # for ligand atoms: the element the name starts with
    located_by: Literal["readings", "template", "stacked", "composed"] = "readings"  # read in ≥ 2 views;
    # read once and found in the other views by its pixels (tools.perception.label_match); read in the
    # views stacked at its point (tools.perception.stacked_labels); or found by its text composed from
    # glyphs read elsewhere (tools.perception.text_search)

    @property
    def firm(self) -> bool:
        """Located by its own strokes (read in two views, or stacked), not found by pixels or text alone:
        such a match may be a misreading's ghost."""
        return self.located_by in ("readings", "stacked")


class Scale(BaseModel):
    pixels_per_angstrom: float | None
    source: str  # what fixed it
    samples: int
    spread: float | None  # relative spread (IQR / median) of the samples


class SceneModel(BaseModel):
    image_size: tuple[int, int]
    points: list[Point3D]
    scale: Scale
    unmatched: dict[str, list[str]]  # per view: labels seen in that view only

    def point(self, text: str) -> Point3D | None:
        for p in self.points:
            if p.text == text:
                return p
        return None

    def xyz_angstrom(self, text: str) -> np.ndarray | None:
        p = self.point(text)
        if p is None or not self.scale.pixels_per_angstrom:
            return None
        return np.array(p.xyz_px) / self.scale.pixels_per_angstrom


def screen_uv(label: Label, size: tuple[int, int]) -> np.ndarray:
    """A label's centre as screen coordinates in pixels: right and up from the image centre."""
    w, h = size
    return np.array([label.centre[0] - w / 2.0, h / 2.0 - label.centre[1]])


def project_px(xyz: np.ndarray, rotation: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Pixel (column, row) of front-frame points (pixels) seen after `rotation` (3x3, screen space)."""
    w, h = size
    p = np.atleast_2d(xyz) @ rotation.T
    return np.stack([w / 2.0 + p[:, 0], h / 2.0 - p[:, 1]], axis=1)


def _solve(obs: list[tuple[str, np.ndarray]]) -> tuple[np.ndarray, float] | None:
    rows, rhs = [], []
    for view, uv in obs:
        m = view_matrix(view)
        rows.extend([m[0], m[1]])
        rhs.extend([uv[0], uv[1]])
    a, b = np.array(rows), np.array(rhs)
    if np.linalg.matrix_rank(a, tol=1e-6) < 3:
        return None
    xyz, *_ = np.linalg.lstsq(a, b, rcond=None)
    res = a @ xyz - b
    return xyz, float(np.sqrt(np.mean(res.reshape(-1, 2) ** 2) * 2))


def triangulate(obs: list[tuple[str, np.ndarray]]) -> tuple[np.ndarray, float, list[str]] | None:
    """Best 3D point from (view, uv) observations, dropping disagreeing views while ≥ 2 remain."""
    best = None
    for k in range(len(obs), 1, -1):
        for subset in combinations(obs, k):
            solved = _solve(list(subset))
            if solved is None:
                continue
            xyz, res = solved
            if (
                best is None
                or (res < MAX_RESIDUAL_PX and best[1] >= MAX_RESIDUAL_PX)
                or (res < best[1] and len(subset) == len(best[2]))
            ):
                best = (xyz, res, [v for v, _ in subset])
        if best is not None and best[1] < MAX_RESIDUAL_PX:
            break
    return best


def _element(name: str) -> str:
    return name[:2] if name[:2] in ("CL", "BR") else name[:1]


def rebuild(
    readings: dict[str, LabelReading],
    ink: dict[str, np.ndarray] | None = None,
    soft: dict[str, np.ndarray] | None = None,
    wanted: list[str] | None = None,
    strokes: dict[str, np.ndarray] | None = None,
) -> SceneModel:
    """A partial 3D scene from label readings keyed by view name (front, left, top, back, right, bottom).

    With `ink` (each view's label-text mask as floats), a label that could not be triangulated from its
    readings is looked for in the other views by its pixels (tools.perception.label_match). With `soft`
    (each view's soft text brightness, tools.perception.glyphs.text_ink), residue labels still unlocated,
    and the `wanted` labels, are looked for by their text composed from glyphs read elsewhere. With
    `strokes` (each view's tools.perception.glyphs.neutral_ink), a short ligand name read stacked is kept
    once no prime follows it.
    """
    if not readings:
        raise ValueError("no views given")
    size = next(iter(readings.values())).image_size
    for view, r in readings.items():
        view_matrix(view)  # raises for an unknown view name
        if tuple(r.image_size) != tuple(size):
            raise ValueError(f"view {view} is {r.image_size}, the others {size}: views must share one camera")
    seen: dict[str, list[tuple[str, np.ndarray, Label]]] = {}
    for view, r in readings.items():
        for text, lab in r.unique().items():
            seen.setdefault(text, []).append((view, screen_uv(lab, size), lab))
    points: list[Point3D] = []
    unmatched: dict[str, list[str]] = {v: [] for v in readings}
    for text, obs in sorted(seen.items()):
        solved = triangulate([(v, uv) for v, uv, _ in obs]) if len(obs) >= 2 else None
        if solved is None or solved[1] >= MAX_RESIDUAL_PX:
            for v, _, _ in obs:
                unmatched[v].append(text)
            continue
        xyz, res, views = solved
        confs = [lab.confidence for v, _, lab in obs if v in views]
        kind = obs[0][2].kind
        points.append(
            Point3D(
                text=text,
                kind=kind,
                xyz_px=tuple(round(float(c), 2) for c in xyz),
                views=views,
                residual_px=round(res, 2),
                confidence=round(float(np.mean(confs)) * (1.0 if len(views) > 2 else 0.8), 3),
                element=_element(text) if kind == "atom" else None,
            )
        )
    if ink is not None:
        points += _template_points(ink, size, seen, {p.text for p in points}, unmatched)
    if soft is not None:
        points += _stacked_points(readings, soft, {p.text for p in points}, strokes)
        points += _composed_points(readings, soft, size, seen, wanted or [], {p.text for p in points})
    points = _without_shadowed_matches(points)
    points.sort(key=lambda p: p.text)
    return SceneModel(image_size=size, points=points, scale=estimate_scale(points), unmatched=unmatched)


def _without_shadowed_matches(points: list[Point3D]) -> list[Point3D]:
    """A label found by its pixels from one reading where another label was located by its own strokes
    (read in two views or stacked) is that other label: two labels never share a point."""
    firm = [p for p in points if p.firm]

    def shadowed(p: Point3D) -> bool:
        return any(
            q.text != p.text and np.linalg.norm(np.subtract(p.xyz_px, q.xyz_px)) < SAME_LABEL_PX for q in firm
        )

    return [p for p in points if p.firm or not shadowed(p)]


def _template_points(
    ink: dict[str, np.ndarray],
    size: tuple[int, int],
    seen: dict[str, list[tuple[str, np.ndarray, Label]]],
    located: set[str],
    unmatched: dict[str, list[str]],
) -> list[Point3D]:
    out = []
    for text, obs in sorted(seen.items()):
        if text in located:
            continue
        # read in one view, or in views that cannot triangulate it (front and back share their axes):
        # find it by its pixels from each reading, and keep a match only if it agrees with every reading
        match = None
        for view, _, lab in obs:
            m = locate(lab, view, ink, size)
            if m is None or (match is not None and m.score <= match.score):
                continue
            xyz = np.array(m.xyz_px)
            if all(np.linalg.norm(view_matrix(v)[:2] @ xyz - uv) < MAX_RESIDUAL_PX for v, uv, _ in obs):
                match = m
        if match is None:
            continue
        view, _, lab = next(o for o in obs if o[0] == match.views[0])
        for v in {o[0] for o in obs}:
            unmatched[v] = [t for t in unmatched[v] if t != text]
        out.append(
            Point3D(
                text=text,
                kind=lab.kind,
                xyz_px=match.xyz_px,
                views=list(dict.fromkeys([*match.views, *(o[0] for o in obs)])),
                residual_px=0.0,
                confidence=round(lab.confidence * match.score * 0.8, 3),
                element=_element(text) if lab.kind == "atom" else None,
                located_by="template",
            )
        )
    return out


def _stacked_points(
    readings: dict[str, LabelReading],
    soft: dict[str, np.ndarray],
    located: set[str],
    strokes: dict[str, np.ndarray] | None,
) -> list[Point3D]:
    out = []
    for lab in read_stacked(soft, readings, strokes):
        # a short name stands only where nothing says it is part of a longer label, primes included
        short = lab.kind == "atom" and len(lab.text) < MIN_COMPOSED_ATOM
        if lab.text in located or (short and not (strokes and lab.whole)):
            continue
        out.append(
            Point3D(
                text=lab.text,
                kind=lab.kind,
                xyz_px=lab.xyz_px,
                views=list(soft),
                residual_px=0.0,
                confidence=round(lab.confidence * 0.9, 3),
                element=_element(lab.text) if lab.kind == "atom" else None,
                located_by="stacked",
            )
        )
    return out


def _composed_points(
    readings: dict[str, LabelReading],
    text: dict[str, np.ndarray],
    size: tuple[int, int],
    seen: dict[str, list[tuple[str, np.ndarray, Label]]],
    wanted: list[str],
    located: set[str],
) -> list[Point3D]:
    glyphs = harvest(readings, text)
    if glyphs is None:
        return []
    # residue labels read somewhere fix the scale; short ligand names are too easily found inside others
    todo = [t for t, obs in seen.items() if obs[0][2].kind == "residue"] + list(wanted)
    out = []
    for name in dict.fromkeys(todo):
        if name in located or (kind := _kind(name)) is None:
            continue
        m = find_text(name, glyphs, text, size)
        if m is None:
            continue
        out.append(
            Point3D(
                text=name,
                kind=kind,
                xyz_px=m.xyz_px,
                views=m.views,
                residual_px=0.0,
                confidence=round(m.score * 0.8, 3),
                element=_element(name) if kind == "atom" else None,
                located_by="composed",
            )
        )
    return out


def _kind(name: str) -> Literal["residue", "atom"] | None:
    if " " in name:
        return "residue" if _residue_number(name) is not None else None
    return "atom" if len(name) >= MIN_COMPOSED_ATOM else None


def _residue_number(text: str) -> int | None:
    part = text.split()[-1]
    return int(part) if part.isdigit() else None


def estimate_scale(points: list[Point3D]) -> Scale:
    """Pixels per Å from consecutive residues' CA anchors, else from the ligand's nearest neighbours."""
    by_number: dict[int, list[Point3D]] = {}
    for p in points:
        if p.kind == "residue" and (n := _residue_number(p.text)) is not None:
            by_number.setdefault(n, []).append(p)
    # a number two residues share (chains numbered alike, or a misread) cannot say which one follows which
    residues = {n: ps[0] for n, ps in by_number.items() if len(ps) == 1}
    samples = []
    for n, p in residues.items():
        q = residues.get(n + 1)
        if q is not None:
            d = float(np.linalg.norm(np.subtract(p.xyz_px, q.xyz_px)))
            if d > SAME_LABEL_PX:  # closer, they are one label read as two residues
                samples.append(d / CA_CA)
    # no two CA atoms are closer than consecutive ones: the closest pair of located residues bounds the
    # scale from above, and rejects "consecutive" pairs that belong to different chains
    # (of firm labels only: one found by its pixels may be a misreading's ghost)
    anchors = np.array([p.xyz_px for p in points if p.kind == "residue" and p.firm]).reshape(-1, 3)
    gaps = np.linalg.norm(anchors[:, None] - anchors[None], axis=2)[np.triu_indices(len(anchors), 1)]
    gaps = gaps[gaps > SAME_LABEL_PX]
    upper = float(gaps.min()) / CA_MIN if len(gaps) else np.inf
    rejected = sum(1 for s in samples if s > upper)
    samples = [s for s in samples if 0 < s <= upper]
    if len(samples) >= 1:
        med = float(np.median(samples))
        keep = [s for s in samples if abs(s - med) < 0.2 * med]  # a cis peptide or a misread is an outlier
        if keep:
            return _scale(keep, "consecutive residues' CA labels, 3.80 Å apart")
    atoms = [np.array(p.xyz_px) for p in points if p.kind == "atom"]
    if len(atoms) >= 6:
        xyz = np.stack(atoms)
        d = np.linalg.norm(xyz[:, None] - xyz[None], axis=2)
        np.fill_diagonal(d, np.inf)
        nn = d.min(axis=1)
        return _scale(
            list(np.sort(nn)[: max(3, len(nn) // 2)] / LIGAND_BOND), "ligand atoms' nearest neighbours"
        )
    why = "not enough labels located in 3D"
    if rejected:
        why += f" ({rejected} 'consecutive' pair(s) rejected: closer residues elsewhere rule out their scale)"
    return Scale(pixels_per_angstrom=None, source=why, samples=0, spread=None)


def _scale(samples: list[float], source: str) -> Scale:
    arr = np.array(samples)
    med = float(np.median(arr))
    q1, q3 = np.percentile(arr, [25, 75])
    return Scale(
        pixels_per_angstrom=round(med, 4),
        source=source,
        samples=len(arr),
        spread=round(float((q3 - q1) / med), 4),
    )
