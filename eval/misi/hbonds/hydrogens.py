"""Angles, and where the hydrogens of donors whose heavy atoms fix them must be."""

from __future__ import annotations

import numpy as np

from eval.misi.hbonds.limits import N_H_LENGTH, O_H_LENGTH

_PLANAR_NH = {("ARG", "NE"), ("TRP", "NE1"), ("HIS", "ND1"), ("HIS", "NE2"), ("HID", "ND1"), ("HIE", "NE2")}
_PLANAR_NH |= {("HIP", "ND1"), ("HIP", "NE2")}
_PLANAR_NH2 = {("ASN", "ND2"), ("GLN", "NE2"), ("ARG", "NH1"), ("ARG", "NH2")}


def angle(a: np.ndarray, vertex: np.ndarray, b: np.ndarray) -> float:
    u, v = a - vertex, b - vertex
    cos = float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def min_angle(centre: np.ndarray, partner: np.ndarray, neighbours: np.ndarray) -> float | None:
    """Smallest neighbour–centre···partner angle in degrees, None without neighbours."""
    if len(neighbours) == 0:
        return None
    # a coincident atom (a duplicate in the file) makes no angle
    angles = [angle(n, centre, partner) for n in neighbours if np.linalg.norm(n - centre) > 0]
    if not angles or np.linalg.norm(partner - centre) == 0:
        return None
    return min(angles)


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def bisector_hydrogen(donor: np.ndarray, neighbours: np.ndarray) -> np.ndarray:
    """The one H of a planar (sp2) donor with two heavy neighbours: in their plane, opposite both."""
    v = -(unit(neighbours[0] - donor) + unit(neighbours[1] - donor))
    return (donor + N_H_LENGTH * unit(v))[None, :]


def amino_hydrogens(donor: np.ndarray, base: np.ndarray, plane: np.ndarray) -> np.ndarray:
    """The two H of a planar NH2 on `base`, in the plane of donor, base and `plane` (another atom on base)."""
    b = unit(base - donor)
    normal = np.cross(b, plane - base)
    if np.linalg.norm(normal) < 1e-6:
        return np.empty((0, 3))
    p = unit(np.cross(unit(normal), b))
    c, s = np.cos(np.radians(120.0)), np.sin(np.radians(120.0))
    return np.array([donor + N_H_LENGTH * (c * b + sign * s * p) for sign in (1.0, -1.0)])


def is_planar(centre: int, coords: np.ndarray, nbrs: list[list[int]]) -> bool:
    """sp2 from geometry: three neighbours whose bond angles sum to about 360°, or two at ≥ 115°."""
    around = nbrs[centre]
    if len(around) == 3:
        pairs = [(around[0], around[1]), (around[0], around[2]), (around[1], around[2])]
        return sum(angle(coords[a], coords[centre], coords[b]) for a, b in pairs) >= 350.0
    if len(around) == 2:
        return angle(coords[around[0]], coords[centre], coords[around[1]]) >= 115.0
    return False


def placed_hydrogens(
    i: int, coords: np.ndarray, nbrs: list[list[int]], n_h: int | None
) -> np.ndarray | None:
    """Hydrogen positions of an N donor whose hydrogens the heavy atoms fix, else None (a rotor: OH, SH,
    NH3+, sp3 N–H, or an N whose plane is unknown).

    - two heavy neighbours on a planar N (amide, aromatic or conjugated N–H): one H on the bisector;
    - one heavy neighbour that is itself planar (amide or amidine NH2, aniline): two H in that plane.
    `n_h` (hydrogens, when known) must agree: 1 for the first case, 2 for the second.
    """
    around = nbrs[i]
    if len(around) == 2 and n_h in (None, 1) and is_planar(i, coords, nbrs):
        return bisector_hydrogen(coords[i], coords[around])
    if len(around) == 1 and n_h in (None, 2):
        base = around[0]
        others = [k for k in nbrs[base] if k != i]
        if others and is_planar(base, coords, nbrs):
            placed = amino_hydrogens(coords[i], coords[base], coords[others[0]])
            return placed if len(placed) else None
    return None


def phenol_hydrogens(i: int, coords: np.ndarray, nbrs: list[list[int]]) -> np.ndarray | None:
    """The two in-plane H sites of an OH on a planar atom (phenol, Tyr OH, enol), C–O–H 109.5°; None for
    other hydroxyls, whose H can turn freely."""
    if len(nbrs[i]) != 1:
        return None
    base = nbrs[i][0]
    others = [k for k in nbrs[base] if k != i]
    if len(nbrs[base]) < 2 or not is_planar(base, coords, nbrs) or not others:
        return None
    d = coords[i]
    b = unit(coords[base] - d)
    normal = np.cross(b, coords[others[0]] - coords[base])
    if np.linalg.norm(normal) < 1e-6:
        return None
    p = unit(np.cross(unit(normal), b))
    c, s_ = np.cos(np.radians(109.5)), np.sin(np.radians(109.5))
    return np.array([d + O_H_LENGTH * (c * b + sign * s_ * p) for sign in (1.0, -1.0)])


def protein_hydrogens(
    resname: str, atom: str, i: int, coords: np.ndarray, nbrs: list[list[int]]
) -> np.ndarray | None:
    """Fixed hydrogens of the protein's sp2 N donors (backbone N, Asn/Gln/Arg NH2, Arg NE, Trp, His)."""
    if (atom == "N" or (resname, atom) in _PLANAR_NH) and len(nbrs[i]) == 2:
        return bisector_hydrogen(coords[i], coords[nbrs[i]])
    if (resname, atom) in _PLANAR_NH2 and len(nbrs[i]) == 1:
        base = nbrs[i][0]
        others = [k for k in nbrs[base] if k != i]
        if others:
            placed = amino_hydrogens(coords[i], coords[base], coords[others[0]])
            return placed if len(placed) else None
    return None
