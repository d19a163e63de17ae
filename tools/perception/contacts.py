"""How close a residue's N/O atoms can come to the ligand's N/O atoms, from the six standard views alone.

The views (front/back, left/right, top/bottom) are orthographic projections of one scene drawn at one scale,
so a distance seen in any projection is at most the distance in space. Residue atoms are told from ligand
atoms by the carbons their sticks run into: O/N blobs touching pocket carbon (purple/orange) belong to the
residue, O/N blobs touching grey carbon (or no pocket carbon) to the ligand.

Space is carved like the colour-class hull (tools.perception.hull), on cells of the front view's pixels
(a projection direction is a pair of opposite views: front/back, left/right, top/bottom):
- a residue N/O centre: when every N/O the residue has (known from its name) is found as a separate group of
  cells seen in its colour from all three directions, those cells; otherwise (an atom may be hidden) also
  the cells seen from one direction and, from each other one, seen or covered on both sides by the ligand
  or by text (the residue's own label included, which sits on its CA);
- a ligand N/O centre: from every direction its colour or label text is seen, or ligand carbons cover it on
  both sides. Labels are drawn centred on their atom, on top of everything, so a hidden ligand atom's
  centre has its own label's text half a glyph above, below, left and right of it: only those text pixels
  count (the glyph size comes from the residue's own label, read by OCR; unread, every text pixel counts).
  The residue's own label, found by OCR and placed in the views where it was not read by triangulating
  its centre, is not taken for a ligand atom's.
The smallest distance between the two sets, less one cell diagonal, is a lower bound on the closest
residue-polar ··· ligand-polar distance, in pixels: hidden atoms only add candidate cells.

Pixels become Å by chemistry: the residue's backbone O (C=O 1.23 Å) and N (N–CA 1.46 Å) are the only
atoms of their colour in most residues, and each is drawn as half a bond. A half-bond vector's projections
on three orthogonal planes satisfy l_xy² + l_yz² + l_xz² = 2·|v|², so its true length in pixels, hence the
pixels per Å, follows without knowing its direction. The bound uses the larger scale estimate raised by
the measurement margin, so pixel errors make it smaller, never larger. Only a blob nothing may hide (no
text, ligand carbon or ligand N/O within two pixels) is measured, and a direction counts its longer view.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from pydantic import BaseModel
from scipy import ndimage
from scipy.spatial import cKDTree

from tools.camera import view_matrix
from tools.perception.atoms import load_rgb
from tools.perception.contact_scale import ScaleEstimate, estimate_scale
from tools.perception.hull import ImageLike, cell_size
from tools.perception.labels import Label
from tools.perception.polar_pixels import PAIRS, POLAR_ATOMS, cells, label_centres, polar_pixels
from tools.perception.residue_label import glyph_size, place_residue_label


class ContactBound(BaseModel):
    """The closest the residue's N/O atoms can come to the ligand's, from the views."""

    residue: str
    bound_px: float | None  # lower bound on the closest residue-polar ··· ligand-polar distance
    bound_angstrom: float | None  # bound_px / the scale's upper estimate (smaller than the estimate)
    estimate_angstrom: float | None  # the same distance at the scale's central estimate
    scale: ScaleEstimate
    residue_atoms_found: dict[str, int]  # separate groups of residue N / O cells
    residue_atoms_expected: dict[str, int]
    closest_px: (
        tuple[list[float], list[float]] | None
    )  # residue and ligand cell centres (front px, x right, y up)
    complete: bool
    reason: str


def _project(xyz: np.ndarray, name: str, g: int) -> tuple[np.ndarray, np.ndarray]:
    p = xyz @ view_matrix(name).T
    col = np.clip(np.floor(p[:, 0] + g / 2).astype(int), 0, g - 1)
    row = np.clip(np.floor(g / 2 - p[:, 1]).astype(int), 0, g - 1)
    return row, col


def contact_bound(
    images: Mapping[str, ImageLike], residue: str, residue_labels: Mapping[str, Label] | None = None
) -> ContactBound:
    """The lower bound for one residue from its six standard views (keyed front, left, top, back, ...).

    `residue` is the residue's name (e.g. "GLY"); `residue_labels` its own label per view, where it was
    read (unread, the label counts as one that may hide a ligand atom)."""
    missing = [v for pair in PAIRS for v in pair if v not in images]
    if missing:
        raise ValueError(f"the bound needs all six standard views; missing {', '.join(missing)}")
    width = load_rgb(images["front"]).shape[1]
    boxes = place_residue_label(residue_labels or {}, width)
    views = {v: polar_pixels(im, boxes.get(v)) for v, im in images.items()}
    glyph = glyph_size(residue_labels or {}, views)
    for pp in views.values():
        pp.label_core = label_centres(pp.label, glyph)
    sizes = {pp.label.shape for pp in views.values()}
    if len(sizes) != 1 or len({s[0] == s[1] for s in sizes} - {True}):
        raise ValueError(f"the views must be square and of one size, got {sorted(sizes)}")
    width = next(iter(sizes))[1]
    cell = cell_size(width)
    g = width // cell
    axis = np.arange(g) - g / 2 + 0.5
    xyz = np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1).reshape(-1, 3)
    cm = {
        v: {
            "O": cells(pp.res["O"], cell),
            "N": cells(pp.res["N"], cell),
            "own": cells(pp.own_label, cell),
            # what a ligand N/O may be seen as, or hidden by whatever its depth: its colour or any text
            "lig": cells(pp.lig | pp.label_core, cell),
            "lig_c": cells(pp.lig_carbon, cell),
            # what may hide a residue atom from one side: the ligand or text (never the residue itself)
            "cover": cells(pp.lig | pp.label | pp.own_label | pp.lig_carbon, cell),
            "shown": cells(pp.shown, cell),
        }
        for v, pp in views.items()
    }
    for v in cm:  # the hull: every view shows something
        row, col = _project(xyz, v, g)
        xyz = xyz[cm[v]["shown"][row, col]]
    seen: dict[str, np.ndarray] = {}
    for v in cm:
        row, col = _project(xyz, v, g)
        for k in cm[v]:
            seen[f"{v}:{k}"] = cm[v][k][row, col]

    def either(k: str, a: str, b: str) -> np.ndarray:
        return seen[f"{a}:{k}"] | seen[f"{b}:{k}"]

    def both(k: str, a: str, b: str) -> np.ndarray:
        return seen[f"{a}:{k}"] & seen[f"{b}:{k}"]

    ones = np.ones(len(xyz), dtype=bool)
    support = {el: np.zeros(len(xyz), dtype=int) for el in ("O", "N")}
    for el in support:
        for a, b in PAIRS:
            support[el] += either(el, a, b)
    # a ligand N/O shows its colour or text from each direction, or hides between ligand carbons
    lig_ok, lig_any = ones.copy(), ~ones
    for a, b in PAIRS:
        lig_ok &= either("lig", a, b) | both("lig_c", a, b)
        lig_any |= either("lig", a, b)
    lig_cells = xyz[lig_ok & lig_any]
    expected = dict(zip(("N", "O"), POLAR_ATOMS.get(residue.upper(), (1, 1))))
    # atoms counted where seen from all three directions: then no atom of the residue is hidden and
    # those cells hold them all
    found = {el: _groups(xyz[support[el] >= 3], g) for el in ("N", "O")}
    own_support = np.zeros(len(xyz), dtype=int)
    for a, b in PAIRS:
        own_support += either("own", a, b)
    under_own = bool((own_support >= 2).any())
    res_cells = {}
    for el in ("O", "N"):
        if found[el] >= expected[el]:
            res_cells[el] = xyz[support[el] >= 3]
            continue
        # atoms unaccounted for: seen from one direction at least, and from each other direction either
        # seen or hidden from both sides by the ligand or text (the residue's own label included)
        ok, any_ = ones.copy(), ~ones
        for a, b in PAIRS:
            seen_here = either(el, a, b) | either("own", a, b)
            ok &= seen_here | both("cover", a, b)
            any_ |= seen_here
        res_cells[el] = xyz[ok & any_]
    scale = estimate_scale(views, residue)
    base = {
        "residue": residue,
        "scale": scale,
        "residue_atoms_found": found,
        "residue_atoms_expected": expected,
    }
    if residue.upper() not in POLAR_ATOMS:
        return ContactBound(**base, bound_px=None, bound_angstrom=None, estimate_angstrom=None,
                            closest_px=None, complete=False, reason=f"unknown residue {residue}")  # fmt: skip
    short = [f"{found[el]} of {expected[el]} {el}" for el in ("N", "O") if found[el] < expected[el]]
    # one atom per element may sit under the residue's own label, whose cells are candidates too
    hidden_ok = under_own and all(expected[el] - found[el] <= 1 for el in ("N", "O"))
    res_all = np.concatenate([res_cells["N"], res_cells["O"]])
    if not len(res_all) or not len(lig_cells):
        return ContactBound(**base, bound_px=None, bound_angstrom=None, estimate_angstrom=None,
                            closest_px=None, complete=False,
                            reason="no residue or no ligand N/O is seen from two directions")  # fmt: skip
    d, j = cKDTree(lig_cells).query(res_all)
    i = int(np.argmin(d))
    bound_px = max(0.0, (float(d[i]) - np.sqrt(3.0)) * cell)
    closest = (
        [round(float(c) * cell, 1) for c in res_all[i]],
        [round(float(c) * cell, 1) for c in lig_cells[j[i]]],
    )
    complete = not short or hidden_ok
    if not short:
        reason = "every N/O of the residue is seen from all three directions"
    elif complete:
        reason = (
            f"{', '.join(short)} seen from all directions; the rest may sit under the residue's own label"
        )
    else:
        reason = (
            f"only {', '.join(short)} of the residue's N/O are seen from all directions: one may be hidden"
        )
    return ContactBound(
        **base,
        bound_px=round(bound_px, 1),
        bound_angstrom=round(bound_px / scale.upper, 2) if scale.upper else None,
        estimate_angstrom=round(bound_px / scale.pixels_per_angstrom, 2)
        if scale.pixels_per_angstrom
        else None,
        closest_px=closest,
        complete=complete,
        reason=reason,
    )


def _groups(cells: np.ndarray, g: int) -> int:
    """Separate groups (26-connected) of cells."""
    if not len(cells):
        return 0
    idx = np.floor(cells + g / 2).astype(int)
    vol = np.zeros((g, g, g), dtype=bool)
    vol[idx[:, 0], idx[:, 1], idx[:, 2]] = True
    _, n = ndimage.label(vol, structure=np.ones((3, 3, 3), dtype=bool))
    return int(n)
