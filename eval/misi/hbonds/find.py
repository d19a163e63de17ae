"""Every pocket–ligand H-bond of a complex that meets the criterion."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.spatial import cKDTree

from eval.misi.hbonds.criterion import PairAtom, Verdict, judge
from eval.misi.hbonds.graph import covalent_links, neighbours_by_distance, within_bonds
from eval.misi.hbonds.hydrogens import phenol_hydrogens, placed_hydrogens, protein_hydrogens
from eval.misi.hbonds.limits import ACCEPTOR, COVALENT_MAX, DISTANCE_SLOP, DONOR, MAX_DISTANCE, METAL_BOND_MAX
from eval.misi.hbonds.roles import covalent_bonds, ligand_typing, protein_role
from tools.structure import Complex, ResidueId


@dataclass(frozen=True)
class HBond:
    """One pocket–ligand H-bond; `ligand_atom` is the name the images label the ligand atom with."""

    residue: ResidueId
    protein_atom: str
    ligand_atom: str
    donor: Literal["protein", "ligand"]
    distance: float  # donor–acceptor, Å
    donor_angle: float | None  # smallest neighbour–donor···acceptor angle, degrees (None: no neighbours)
    acceptor_angle: float | None  # smallest neighbour–acceptor···donor angle, degrees
    both_ways: bool = False  # either atom could be the donor
    hydrogen_angle: float | None = None  # donor–H···acceptor, degrees, when the donor's H are fixed

    @property
    def key(self) -> tuple[str, int, str, str, str]:
        rid = self.residue
        return (rid.chain, rid.number, rid.icode, self.protein_atom, self.ligand_atom)


def find_hbonds(cx: Complex, residues: Iterable[ResidueId] | None = None) -> list[HBond]:
    """Every pocket–ligand H-bond meeting the criterion, sorted by (chain, number, icode, atom, ligand atom).

    `residues` restricts the search to those pocket residues (ResidueId equality: chain, number,
    insertion code and name).
    """
    pocket, lig = cx.pocket, cx.ligand
    wanted = None if residues is None else set(residues)
    p_nbrs = neighbours_by_distance(pocket.coords, pocket.elements)
    metal_bound: set[int] = set()
    if len(cx.metal_coords):
        for hits in cKDTree(pocket.coords).query_ball_point(cx.metal_coords, r=METAL_BOND_MAX):
            metal_bound.update(hits)
    p_roles = []
    for i, rid in enumerate(pocket.residues):
        role = protein_role(rid.name, pocket.names[i])
        if role and pocket.elements[i] == "S" and any(pocket.elements[k] == "S" for k in p_nbrs[i]):
            role = ""  # disulfide: no thiol hydrogen
        if DONOR in role and pocket.elements[i] == "N" and i in metal_bound:
            role = role.replace(DONOR, "")  # e.g. a zinc-binding His N: the metal holds its lone pair, no H
        if wanted is not None and rid not in wanted:
            role = ""
        p_roles.append(role)
    l_roles, l_hcounts = ligand_typing(lig)
    l_xyz = lig.atoms.coords
    l_nbrs: list[list[int]] = [[] for _ in range(len(lig.atoms))]
    for i, j, _ in covalent_bonds(lig):
        l_nbrs[i].append(j)
        l_nbrs[j].append(i)
    # A covalent link: the linked O/S has lost its hydrogen to the bond, atoms up to three bonds apart
    # through the link are never H-bonded, and each linked atom counts the other as a neighbour.
    links = covalent_links(cx)
    too_close: set[tuple[int, int]] = set()
    p_extra: dict[int, list[int]] = {}
    l_extra: dict[int, list[int]] = {}
    for pi, li in links:
        if pocket.elements[pi] in ("O", "S"):
            p_roles[pi] = "" if pocket.elements[pi] == "S" else p_roles[pi].replace(DONOR, "")
        p_extra.setdefault(pi, []).append(li)
        l_extra.setdefault(li, []).append(pi)
        near_p, near_l = within_bonds(pi, p_nbrs, 2), within_bonds(li, l_nbrs, 2)
        too_close |= {(a, b) for a, da in near_p.items() for b, db in near_l.items() if da + db + 1 <= 3}

    p_idx = [i for i, r in enumerate(p_roles) if r]
    l_idx = [i for i, r in enumerate(l_roles) if r]
    if not p_idx or not l_idx:
        return []

    def protein_atom(i: int, donates: bool) -> PairAtom:
        rid, name = pocket.residues[i], pocket.names[i]
        hyd = protein_hydrogens(rid.name, name, i, pocket.coords, p_nbrs) if donates else None
        if donates and (rid.name, name) == ("TYR", "OH"):
            hyd = phenol_hydrogens(i, pocket.coords, p_nbrs)
        around = np.vstack([pocket.coords[p_nbrs[i]], l_xyz[p_extra.get(i, [])]])
        amide_o = not donates and (name == "O" or (rid.name, name) in {("ASN", "OD1"), ("GLN", "OE1")})
        return PairAtom(pocket.coords[i], pocket.elements[i], around, hyd, amide_o)

    def ligand_atom(i: int, donates: bool) -> PairAtom:
        n_h = None if l_hcounts is None else l_hcounts[i]
        planar_n = donates and lig.atoms.elements[i] == "N"
        hyd = placed_hydrogens(i, l_xyz, l_nbrs, n_h) if planar_n else None
        if donates and lig.atoms.elements[i] == "O":
            hyd = phenol_hydrogens(i, l_xyz, l_nbrs)
        around = np.vstack([l_xyz[l_nbrs[i]], pocket.coords[l_extra.get(i, [])]])
        return PairAtom(l_xyz[i], lig.atoms.elements[i], around, hyd)

    search = MAX_DISTANCE + DISTANCE_SLOP
    tree = cKDTree(l_xyz[l_idx])
    found = []
    for pi, hits in zip(p_idx, tree.query_ball_point(pocket.coords[p_idx], r=search), strict=True):
        for h in hits:
            li = l_idx[h]
            dist = float(np.linalg.norm(pocket.coords[pi] - l_xyz[li]))
            if dist < COVALENT_MAX or (pi, li) in too_close:
                continue
            ways: list[tuple[str, Verdict]] = []
            if DONOR in p_roles[pi] and ACCEPTOR in l_roles[li]:
                ways.append(("protein", judge(protein_atom(pi, True), ligand_atom(li, False), dist)))
            if DONOR in l_roles[li] and ACCEPTOR in p_roles[pi]:
                ways.append(("ligand", judge(ligand_atom(li, True), protein_atom(pi, False), dist)))
            passed = [(side, v) for side, v in ways if v.ok]
            if not passed:
                continue
            ligand_sure = l_hcounts is not None and l_hcounts[li] > 0
            side, verdict = passed[0]
            if len(passed) == 2 and ligand_sure:
                side, verdict = passed[1]
            found.append(
                HBond(
                    residue=pocket.residues[pi],
                    protein_atom=pocket.names[pi],
                    ligand_atom=lig.atoms.names[li],
                    donor=side,  # type: ignore[arg-type]
                    distance=round(dist, 3),
                    donor_angle=None if verdict.donor_angle is None else round(verdict.donor_angle, 1),
                    acceptor_angle=None
                    if verdict.acceptor_angle is None
                    else round(verdict.acceptor_angle, 1),
                    both_ways=len(passed) == 2,
                    hydrogen_angle=None
                    if verdict.hydrogen_angle is None
                    else round(verdict.hydrogen_angle, 1),
                )
            )
    return sorted(found, key=lambda hb: hb.key)
