"""Where a view shows N and O atoms, and whether each belongs to the residue or the ligand: O/N blobs touching
pocket carbon (purple/orange) are the residue's, the others the ligand's; text may hide a ligand atom."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel
from scipy import ndimage

from tools.perception.atoms import COLOUR_CLASSES, LABEL, classify_pixels, load_rgb
from tools.perception.hull import ImageLike

# The residue's N and O atoms (backbone and side chain), by residue name.
POLAR_ATOMS: dict[str, tuple[int, int]] = {
    "ALA": (1, 1), "ARG": (4, 1), "ASN": (2, 2), "ASP": (1, 3), "CYS": (1, 1), "GLN": (2, 2),
    "GLU": (1, 3), "GLY": (1, 1), "HIS": (3, 1), "ILE": (1, 1), "LEU": (1, 1), "LYS": (2, 1),
    "MET": (1, 1), "PHE": (1, 1), "PRO": (1, 1), "SER": (1, 2), "THR": (1, 2), "TRP": (2, 1),
    "TYR": (1, 2), "VAL": (1, 1), "MSE": (1, 1),
}  # fmt: skip
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


def cells(mask: np.ndarray, cell: int) -> np.ndarray:
    g = mask.shape[0] // cell
    return mask[: g * cell, : g * cell].reshape(g, cell, g, cell).sum(axis=(1, 3)) >= MIN_PIXELS
