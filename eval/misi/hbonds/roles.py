"""Who can donate and who can accept: protein atoms by residue and name, ligand atoms by chemistry read from
the bond graph and bond lengths."""

from __future__ import annotations

from itertools import combinations

import numpy as np
from rdkit import Chem

from eval.misi.hbonds.graph import ring_bonds, ring_size
from eval.misi.hbonds.hydrogens import is_planar
from eval.misi.hbonds.limits import ACCEPTOR, BOTH, DONOR
from tools.structure import Ligand
from tools.structure.protein import METALS

_SIDE_CHAIN: dict[str, dict[str, str]] = {
    "SER": {"OG": BOTH},
    "THR": {"OG1": BOTH},
    "TYR": {"OH": BOTH},
    "HIS": {"ND1": BOTH, "NE2": BOTH},
    "HID": {"ND1": DONOR, "NE2": ACCEPTOR},
    "HIE": {"ND1": ACCEPTOR, "NE2": DONOR},
    "HIP": {"ND1": DONOR, "NE2": DONOR},
    "ASN": {"OD1": ACCEPTOR, "ND2": DONOR},
    "GLN": {"OE1": ACCEPTOR, "NE2": DONOR},
    "ASP": {"OD1": ACCEPTOR, "OD2": ACCEPTOR},
    "ASH": {"OD1": BOTH, "OD2": BOTH},
    "GLU": {"OE1": ACCEPTOR, "OE2": ACCEPTOR},
    "GLH": {"OE1": BOTH, "OE2": BOTH},
    "LYS": {"NZ": DONOR},
    "LYN": {"NZ": BOTH},
    "ARG": {"NE": DONOR, "NH1": DONOR, "NH2": DONOR},
    "TRP": {"NE1": DONOR},
    "CYS": {"SG": DONOR},
}
_VALENCE = {"N": 3, "O": 2, "S": 2}
_ORDER = {1: 1.0, 2: 2.0, 3: 3.0, 4: 1.5}  # Ligand bond orders; 4 = aromatic


def protein_role(resname: str, atom: str) -> str:
    """'D', 'A', 'DA' or '' for a standard residue's atom (disulfides are handled by the caller)."""
    if atom == "N":
        return "" if resname == "PRO" else DONOR
    if atom in {"O", "OXT"}:
        return ACCEPTOR
    return _SIDE_CHAIN.get(resname, {}).get(atom, "")


def order_from_length(e1: str, e2: str, d: float) -> float:
    """Bond order read from its length, as ChimeraX's atom typing does for files without bond orders.

    C=O ≤ 1.30 Å (C–O ≥ 1.36), N=O ≤ 1.30, C≡N ≤ 1.22, C=N / N=N ≤ 1.31 (C–N ≥ 1.33), C=S ≤ 1.68 (C–S ≥ 1.71).
    """
    pair = {e1, e2}
    if pair in ({"C", "O"}, {"N", "O"}):
        return 2.0 if d <= 1.30 else 1.0
    if pair == {"C", "N"}:
        return 3.0 if d <= 1.22 else 2.0 if d <= 1.31 else 1.0
    if pair == {"N"}:
        return 2.0 if d <= 1.31 else 1.0
    if pair == {"C", "S"}:
        return 2.0 if d <= 1.68 else 1.0
    return 1.0


def sanitizes(mol: Chem.Mol, counts: dict[int, int]) -> bool:
    trial = Chem.RWMol(mol)
    for idx, n_h in counts.items():
        atom = trial.GetAtomWithIdx(idx)
        atom.SetNoImplicit(True)
        atom.SetNumExplicitHs(n_h)
    return Chem.SanitizeMol(trial, catchErrors=True) == Chem.SanitizeFlags.SANITIZE_NONE


def hydrogen_counts(lig: Ligand) -> list[int] | None:
    """Hydrogens per ligand heavy atom when they can be trusted, else None.

    - hydrogens in the file (molblock): counted directly, never topped up by valence rules (a PDB ligand
      read without bond orders would otherwise get an H on every carbonyl O);
    - no hydrogens but sanitized bond orders: `Ligand.hydrogen_counts`, checked against the bond graph
      with RDKit; aromatic N–H counts a reader lost (an [nH] kept as an H-count property, e.g. uracil
      N3) are restored with the fewest N–H that make the molecule valid;
    - otherwise None: the geometric fallbacks of `ligand_roles` apply.
    """
    if not lig.hydrogens_known:
        return None
    mol = Chem.MolFromMolBlock(lig.molblock, sanitize=False, removeHs=False) if lig.molblock else None
    heavy = [] if mol is None else [a for a in mol.GetAtoms() if a.GetAtomicNum() > 1]
    if mol is None or len(heavy) != len(lig.atoms):  # no usable molblock: nothing to check the counts against
        return list(lig.hydrogen_counts)
    if len(heavy) < mol.GetNumAtoms():
        return [sum(n.GetAtomicNum() == 1 for n in a.GetNeighbors()) for a in heavy]
    counts = {a.GetIdx(): lig.hydrogen_counts[k] for k, a in enumerate(heavy)}
    for bond in mol.GetBonds():  # unsanitized reads flag aromatic bonds but not their atoms
        if bond.GetBondType() == Chem.BondType.AROMATIC:
            bond.GetBeginAtom().SetIsAromatic(True)
            bond.GetEndAtom().SetIsAromatic(True)
    if sanitizes(mol, counts):
        return list(counts.values())
    lost = [
        a.GetIdx() for a in heavy if a.GetSymbol() == "N" and a.GetIsAromatic() and counts[a.GetIdx()] == 0
    ]
    for size in range(1, min(len(lost), 4) + 1):
        for combo in combinations(lost, size):
            trial = {**counts, **{idx: 1 for idx in combo}}
            if sanitizes(mol, trial):
                return list(trial.values())
    return None


def ligand_roles(lig: Ligand) -> list[str]:
    """'D', 'A', 'DA' or '' per ligand heavy atom, by the rules in the module docstring."""
    return ligand_typing(lig)[0]


def covalent_bonds(lig: Ligand) -> list[tuple[int, int, int]]:
    """The ligand's bonds without metal coordination (a heme's Fe–N): a metal neither takes an N's place
    for a hydrogen nor makes it a tertiary N, so the N stays an acceptor, as ChimeraX types it."""
    el = lig.atoms.elements
    return [(i, j, o) for i, j, o in lig.bonds if el[i].upper() not in METALS and el[j].upper() not in METALS]


def ligand_typing(lig: Ligand) -> tuple[list[str], list[int] | None]:
    n, el, xyz = len(lig.atoms), lig.atoms.elements, lig.atoms.coords
    bonds = covalent_bonds(lig)
    metal_bound = {k for i, j, _ in lig.bonds for k in (i, j) if {el[i].upper(), el[j].upper()} & METALS}
    orders_known = any(o != 1 for _, _, o in bonds)  # PDB ligands come with single bonds only
    nbrs: list[list[int]] = [[] for _ in range(n)]
    order: list[dict[int, float]] = [{} for _ in range(n)]
    length: list[dict[int, float]] = [{} for _ in range(n)]
    for i, j, o in bonds:
        d = float(np.linalg.norm(xyz[i] - xyz[j]))
        value = _ORDER.get(o, 1.0) if orders_known else order_from_length(el[i], el[j], d)
        nbrs[i].append(j)
        nbrs[j].append(i)
        order[i][j] = order[j][i] = value
        length[i][j] = length[j][i] = d
    rings = ring_bonds(n, bonds)
    hcounts = hydrogen_counts(lig)

    def terminal_os(k: int) -> bool:  # carbonyl-like: a neighbour O/S with no other heavy neighbour
        return any(el[m] in {"O", "S"} and len(nbrs[m]) == 1 for m in nbrs[k])

    def amidine_carbon(k: int) -> bool:  # C(N)(N)X without O/S: amidine or guanidine
        return (
            el[k] == "C"
            and len(nbrs[k]) == 3
            and sum(el[m] == "N" for m in nbrs[k]) >= 2
            and not terminal_os(k)
        )

    def acid_oxygen(k: int) -> bool:  # terminal O of a carboxyl, phosphate, sulfonate or sulfonyl group
        if el[k] != "O" or len(nbrs[k]) != 1:
            return False
        centre = nbrs[k][0]
        terminal = sum(el[m] == "O" and len(nbrs[m]) == 1 for m in nbrs[centre])
        return el[centre] in {"P", "S"} or (el[centre] == "C" and terminal >= 2)

    def ammonium(k: int) -> bool:  # sp3 N with three single-bonded sp3 carbons (no amide, aniline, ring π)
        if el[k] != "N" or len(nbrs[k]) != 3 or any(v > 1.0 for v in order[k].values()):
            return False
        if is_planar(k, xyz, nbrs):
            return False
        return all(
            el[m] == "C"
            and all(v == 1.0 for v in order[m].values())
            and not (len(nbrs[m]) >= 2 and is_planar(m, xyz, nbrs))
            for m in nbrs[k]
        )

    def pyridine_like(k: int) -> bool:  # a 6-ring N between two ring atoms, no C=O beside it (not a lactam)
        if el[k] != "N" or len(nbrs[k]) != 2 or not is_planar(k, xyz, nbrs):
            return False
        return ring_size(k, nbrs) == 6 and not any(terminal_os(m) for m in nbrs[k])

    roles = []
    for i in range(n):
        e, deg = el[i], len(nbrs[i])
        if e not in _VALENCE:
            roles.append("")
            continue
        h = None if hcounts is None else hcounts[i]
        in_ring = any(frozenset((i, m)) in rings for m in nbrs[i])
        # Conjugated: an aromatic or multiple bond, or (orders unknown) short bonds as in pyrrole or indole.
        conjugated = any(v > 1.0 for v in order[i].values()) or (
            not orders_known and deg > 0 and max(length[i].values()) < 1.42
        )
        if acid_oxygen(i):
            donor = False  # typed as the anion, whatever hydrogens the file gives (as ChimeraX does)
        elif ammonium(i):
            donor = True  # a tertiary aliphatic amine, protonated at pH 7
        elif pyridine_like(i):
            donor = False  # from geometry, like ChimeraX, even where the file puts an H (pyridinium)
        elif e == "O" and deg == 1 and order_from_length(e, el[nbrs[i][0]], length[i][nbrs[i][0]]) > 1:
            donor = False  # as short as C=O: geometry says no hydrogen, whatever the file's bond order
        elif i in metal_bound:
            donor = False  # a metal holds the lone pair that an H would take (a heme's pyrrole N)
        elif h is not None:
            donor = h > 0
        else:
            donor = sum(order[i].values()) < _VALENCE[e] - 0.25
        donor = donor and (e != "S" or deg == 1)
        if e == "O":
            acceptor = True
        elif e == "S":
            acceptor = deg == 1 or (in_ring and conjugated)
        else:
            amide_like = any(el[m] in {"C", "S", "P"} and terminal_os(m) for m in nbrs[i])
            amidine = not in_ring and any(amidine_carbon(m) for m in nbrs[i])
            charged = (h is not None and h + deg >= 4) or ammonium(i)
            pyrrole = h is not None and h > 0 and in_ring and deg == 2 and conjugated
            acceptor = not (deg >= 3 or amide_like or amidine or charged or pyrrole)
        roles.append((DONOR if donor else "") + (ACCEPTOR if acceptor else ""))
    return roles, hcounts
