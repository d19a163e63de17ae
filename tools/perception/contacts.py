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
from tools.perception.atoms import COLOUR_CLASSES, LABEL, classify_pixels, load_rgb
from tools.perception.hull import ImageLike, cell_size
from tools.perception.labels import Label

# The residue's N and O atoms (backbone and side chain), by residue name.
POLAR_ATOMS: dict[str, tuple[int, int]] = {
    "ALA": (1, 1), "ARG": (4, 1), "ASN": (2, 2), "ASP": (1, 3), "CYS": (1, 1), "GLN": (2, 2),
    "GLU": (1, 3), "GLY": (1, 1), "HIS": (3, 1), "ILE": (1, 1), "LEU": (1, 1), "LYS": (2, 1),
    "MET": (1, 1), "PHE": (1, 1), "PRO": (1, 1), "SER": (1, 2), "THR": (1, 2), "TRP": (2, 1),
    "TYR": (1, 2), "VAL": (1, 1), "MSE": (1, 1),
}  # fmt: skip
HALF_BOND = {"O": 1.23 / 2, "N": 1.46 / 2}  # Å: backbone C=O and N–CA, drawn half in the polar colour
SCALE_MARGIN = (
    0.20  # relative: ±1 px in each of a half bond's reach and radius (on ~8 px), in each of three planes
)
PAIRS = (("front", "back"), ("left", "right"), ("top", "bottom"))  # one projection direction each
MIN_PIXELS = 2  # pixels of a kind a cell needs to show it
MIN_CARBON_PX = 12  # at 512 px: smaller pieces of pocket colour are colour fringes, not a carbon's stick
GLYPH_SLACK_PX = 2  # antialiasing and rounding at a glyph's edge
TOUCH_PX = 2  # a polar blob this close to a carbon colour is bonded to it

_POCKET = [COLOUR_CLASSES.index("pocket_C1"), COLOUR_CLASSES.index("pocket_C2")]
_LIG_C = COLOUR_CLASSES.index("ligand_C")
_ELEMENTS = {"O": COLOUR_CLASSES.index("O"), "N": COLOUR_CLASSES.index("N")}


class PolarPixels(BaseModel, arbitrary_types_allowed=True):
    """One view's pixels by role: residue O, residue N, ligand N/O, label, carbon, anything."""

    res: dict[str, np.ndarray]  # element -> bool mask of residue polar pixels
    lig: np.ndarray  # ligand N/O pixels
    label: np.ndarray  # label pixels that may hide ligand atoms
    label_core: np.ndarray  # label pixels where a hidden ligand atom's centre may be
    own_label: np.ndarray  # the residue's own label (it may hide the residue's atoms near its CA)
    carbon: np.ndarray  # ligand or pocket carbon
    lig_carbon: np.ndarray
    shown: np.ndarray  # any atom or label
    res_blobs: dict[str, list[np.ndarray]]  # element -> (n, 2) (column, row) pixels of each residue blob
    blocked: np.ndarray  # pixels where a residue blob may be partly hidden (label, ligand)


Box = tuple[int, int, int, int]  # column min, row min, column max, row max


def label_centres(label: np.ndarray, glyph: tuple[float, float] | None) -> np.ndarray:
    """Where a ligand atom hidden by text can be: each label is drawn centred on its atom and on top of
    everything, so an atom's centre has its own label's text (glyph gaps closed) from half a glyph height
    above to below it and from half a glyph width left to right. `glyph` is (height, width) in px; without
    it every text pixel is kept."""
    if glyph is None or not label.any():
        return label
    h, w = glyph
    closed = ndimage.binary_closing(label, structure=np.ones((5, 5), dtype=bool), iterations=1) | label
    up = max(0, int(h / 2) - GLYPH_SLACK_PX)
    side = max(0, int(w / 2) - GLYPH_SLACK_PX)
    core = closed
    if up:
        core = core & ndimage.binary_erosion(closed, structure=np.ones((2 * up + 1, 1), dtype=bool))
    if side:
        core = core & ndimage.binary_erosion(closed, structure=np.ones((1, 2 * side + 1), dtype=bool))
    return core


def polar_pixels(image: ImageLike, residue_label: Box | None = None) -> PolarPixels:
    """`residue_label`: the box of the residue's own label, if it was read (it hides the residue's CA, not
    a ligand atom). `label_core` keeps every text pixel until the glyph size is known (label_centres)."""
    class_map, _ = classify_pixels(load_rgb(image))
    pocket = _residue_carbon(class_map)
    lig_c = class_map == _LIG_C
    label = class_map == LABEL
    own = np.zeros_like(label)
    if residue_label is not None:
        c0, r0, c1, r1 = residue_label
        own[max(0, r0 - TOUCH_PX) : r1 + TOUCH_PX + 1, max(0, c0 - TOUCH_PX) : c1 + TOUCH_PX + 1] = True
        own = ndimage.binary_dilation(label & own, iterations=1) & label
    # the residue's own label sits on its CA: a blob running into it is the residue's N (or O)
    near_pocket = ndimage.binary_dilation(pocket | own, iterations=TOUCH_PX)
    near_lig = ndimage.binary_dilation(lig_c, iterations=TOUCH_PX)
    res: dict[str, np.ndarray] = {}
    blobs: dict[str, list[np.ndarray]] = {}
    lig = np.zeros_like(label)
    for el, code in _ELEMENTS.items():
        comp, n = ndimage.label(class_map == code, structure=np.ones((3, 3), dtype=bool))
        res[el] = np.zeros_like(label)
        blobs[el] = []
        for k in range(1, n + 1):
            m = comp == k
            if m.sum() < MIN_PIXELS:
                continue
            on_pocket, on_lig = bool((m & near_pocket).any()), bool((m & near_lig).any())
            if on_pocket:
                res[el] |= m
                rows, cols = np.nonzero(m)
                blobs[el].append(np.stack([cols, rows], axis=1).astype(float))
            if on_lig or not on_pocket:
                lig |= m
    blocked = ndimage.binary_dilation(label | lig_c | lig | own, iterations=TOUCH_PX)
    return PolarPixels(
        label_core=label & ~own,
        res=res,
        lig=lig,
        label=label & ~own,
        own_label=own,
        carbon=pocket | lig_c,
        lig_carbon=lig_c,
        shown=class_map != -1,
        res_blobs=blobs,
        blocked=blocked,
    )


def _residue_carbon(class_map: np.ndarray) -> np.ndarray:
    """The one residue's carbon: its colour is the pocket colour most pixels show (blends of N blue with
    grey or white look lavender, of O red with grey orange-ish), in pieces too large to be such fringes."""
    counts = [int(np.count_nonzero(class_map == k)) for k in _POCKET]
    mask = class_map == _POCKET[int(np.argmax(counts))]
    comp, n = ndimage.label(mask, structure=np.ones((3, 3), dtype=bool))
    if n == 0:
        return mask
    areas = ndimage.sum_labels(np.ones_like(comp), comp, np.arange(1, n + 1))
    min_area = max(4, round(MIN_CARBON_PX * class_map.shape[1] ** 2 / 512**2))
    return np.isin(comp, 1 + np.flatnonzero(areas >= min_area))


def _cells(mask: np.ndarray, cell: int) -> np.ndarray:
    g = mask.shape[0] // cell
    return mask[: g * cell, : g * cell].reshape(g, cell, g, cell).sum(axis=(1, 3)) >= MIN_PIXELS


class ScaleEstimate(BaseModel):
    pixels_per_angstrom: float | None
    upper: float | None  # the estimate raised by the margin (what the bound divides by)
    sources: list[str]
    reason: str


def _contact_end(blob: np.ndarray, carbon: np.ndarray) -> np.ndarray | None:
    near = ndimage.binary_dilation(carbon, iterations=1)
    cols, rows = blob[:, 0].astype(int), blob[:, 1].astype(int)
    touching = near[rows, cols]
    if not touching.any():
        return None
    return blob[touching].mean(axis=0)


def _half_bond(blob: np.ndarray, pp: PolarPixels) -> float | None:
    cols, rows = blob[:, 0].astype(int), blob[:, 1].astype(int)
    others = pp.blocked
    if others[rows, cols].any():
        return None
    start = _contact_end(blob, pp.carbon & ~pp.label)
    if start is None:
        return None
    centre = blob.mean(axis=0)
    _, _, vt = np.linalg.svd(blob - centre, full_matrices=False)
    minor = (blob - centre) @ vt[1]
    radius = (minor.max() - minor.min() + 1.0) / 2.0
    reach = float(np.hypot(*(blob - start).T).max()) + 0.5
    return max(0.0, reach - radius)


def estimate_scale(views: Mapping[str, PolarPixels], residue: str) -> ScaleEstimate:
    """Pixels per Å from the backbone O and N half bonds, where the residue has one atom of that colour."""
    counts = POLAR_ATOMS.get(residue.upper())
    if counts is None:
        return ScaleEstimate(
            pixels_per_angstrom=None, upper=None, sources=[], reason=f"unknown residue {residue}"
        )
    found: list[float] = []
    notes: list[str] = []
    for el, expected in zip(("N", "O"), counts):
        if expected != 1:
            notes.append(f"{residue} has {expected} {el} atoms: its {el} half bond is not told apart")
            continue
        squares = []
        for a, b in PAIRS:
            lengths = []
            for v in (a, b):
                pp = views.get(v)
                if pp is None:
                    continue
                # the residue has one atom of this colour: the one blob nothing may hide is it (a ligand
                # atom's blob always runs into its own label or carbons)
                clean = [x for x in (_half_bond(b, pp) for b in pp.res_blobs[el]) if x is not None]
                if len(clean) == 1:
                    lengths.append(clean[0])
            if not lengths:
                break
            squares.append(max(lengths) ** 2)  # partial hiding only shortens a blob
        if len(squares) < 3:
            notes.append(f"the backbone {el} is not seen whole from all three directions")
            continue
        true_px = float(np.sqrt(sum(squares) / 2.0))
        found.append(true_px / HALF_BOND[el])
        notes.append(f"backbone {el} half bond {true_px:.1f} px = {HALF_BOND[el]:.3f} Å")
    if not found:
        return ScaleEstimate(pixels_per_angstrom=None, upper=None, sources=notes, reason="; ".join(notes))
    spread = (max(found) - min(found)) / max(found) if len(found) > 1 else 0.0
    upper = max(found) * (1.0 + SCALE_MARGIN)
    return ScaleEstimate(
        pixels_per_angstrom=round(float(np.mean(found)), 2),
        upper=round(upper, 2),
        sources=notes,
        reason=f"{len(found)} half bond(s), spread {spread:.0%}, margin {SCALE_MARGIN:.0%}",
    )


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


def _glyph(labels: Mapping[str, Label], views: Mapping[str, PolarPixels]) -> tuple[float, float] | None:
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
    glyph = _glyph(residue_labels or {}, views)
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
            "O": _cells(pp.res["O"], cell),
            "N": _cells(pp.res["N"], cell),
            "own": _cells(pp.own_label, cell),
            # what a ligand N/O may be seen as, or hidden by whatever its depth: its colour or any text
            "lig": _cells(pp.lig | pp.label_core, cell),
            "lig_c": _cells(pp.lig_carbon, cell),
            # what may hide a residue atom from one side: the ligand or text (never the residue itself)
            "cover": _cells(pp.lig | pp.label | pp.own_label | pp.lig_carbon, cell),
            "shown": _cells(pp.shown, cell),
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
