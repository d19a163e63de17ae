"""Pixels per Å from the residue's backbone half bonds seen from three directions
(see tools.perception.contacts)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from pydantic import BaseModel
from scipy import ndimage

from tools.perception.polar_pixels import PAIRS, POLAR_ATOMS, PolarPixels

HALF_BOND = {"O": 1.23 / 2, "N": 1.46 / 2}  # Å: backbone C=O and N–CA, drawn half in the polar colour
SCALE_MARGIN = (
    0.20  # relative: ±1 px in each of a half bond's reach and radius (on ~8 px), in each of three planes
)


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
