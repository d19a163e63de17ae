"""Which alternate location of a residue to keep: the highest occupancy, ties to the lowest B-factor.

Crystal structures often model a ligand or side chain twice at equal occupancy (0.5/0.5, 0.33/0.33).
Keeping the first one listed makes the answer depend on the file's labelling; the better-ordered copy
(lower mean B-factor) is the one a viewer such as ChimeraX shows, and the one the images and the H-bond
key then agree on. The choice is per residue, so one residue's atoms never mix conformations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from Bio.PDB.Residue import Residue


def choose_altloc(records: Iterable[tuple[str, float, float]]) -> str | None:
    """The altloc to keep from (altloc, occupancy, B-factor) of a residue's disordered atoms, or None."""
    occ: dict[str, list[float]] = defaultdict(list)
    bfac: dict[str, list[float]] = defaultdict(list)
    order: list[str] = []
    for loc, occupancy, b in records:
        if loc not in occ:
            order.append(loc)
        occ[loc].append(occupancy)
        bfac[loc].append(b)
    if not order:
        return None

    def rank(loc: str) -> tuple[float, float, int]:
        mean_occ = round(sum(occ[loc]) / len(occ[loc]), 3)
        return (-mean_occ, sum(bfac[loc]) / len(bfac[loc]), order.index(loc))

    return min(order, key=rank)


def _number(text: str, default: float) -> float:
    try:
        return float(text)
    except ValueError:
        return default


def keep_one_altloc(lines: list[str]) -> list[str]:
    """PDB ATOM/HETATM lines of one residue with a single conformation: blank-altloc lines plus the chosen
    altloc's, its altloc column blanked."""
    disordered = [ln for ln in lines if len(ln) > 16 and ln[16] != " "]
    chosen = choose_altloc((ln[16], _number(ln[54:60], 1.0), _number(ln[60:66], 0.0)) for ln in disordered)
    if chosen is None:
        return lines
    return [ln if ln[16] == " " else ln[:16] + " " + ln[17:] for ln in lines if ln[16] in (" ", chosen)]


def select_altloc(residue: Residue) -> None:
    """Point every disordered atom of a Biopython residue at the one conformation `choose_altloc` picks."""
    disordered = [atom for atom in residue.get_unpacked_list() if atom.get_altloc() not in ("", " ")]
    chosen = choose_altloc(
        (a.get_altloc(), float(a.get_occupancy() or 0.0), float(a.get_bfactor())) for a in disordered
    )
    if chosen is None:
        return
    for atom in residue:
        if atom.is_disordered() and chosen in atom.disordered_get_id_list():
            atom.disordered_select(chosen)
