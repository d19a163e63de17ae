"""Pocket–ligand hydrogen bonds for MiSI-Bench's answer key (tasks T4, T8, T9), from geometry alone.

This is the benchmark's ground truth, so it does not use PLIP: the agent has a PLIP tool, and an answer
key computed by the same program would grade the tool against itself. The paper took its H-bonds from
ChimeraX's finder (Mills & Dean criteria) relaxed by 0.4 Å and 20°; ChimeraX is not a dependency here,
so this is a ChimeraX-like criterion on heavy atoms, stated in full:

Distance: donor···acceptor ≤ 3.5 Å + 0.4 Å = 3.9 Å (and ≥ 2.0 Å: anything closer is a covalent bond).

Angles (heavy atoms only; hydrogens are not used because crystal structures rarely have them):
- at the donor: every heavy neighbour X of the donor has X–D···A ≥ 90° − 20° = 70°;
- at the acceptor: every heavy neighbour Y of the acceptor has Y–A···D ≥ 90° − 20° = 70°.
  90° is the generic lower bound of Mills & Dean / ChimeraX for O and N (and HBPLUS's D–A–AA > 90°): an
  H-bond partner must not sit behind the bonds of the atom it binds. Atoms without heavy neighbours have
  no angle test.

Donors and acceptors, protein (by residue and atom name):
- backbone N donor (not proline); backbone O and OXT acceptors;
- SER OG, THR OG1, TYR OH, HIS ND1/NE2: donor and acceptor (H positions / tautomers unknown);
- ASN OD1, GLN OE1, ASP OD1/OD2, GLU OE1/OE2: acceptors; ASN ND2, GLN NE2, LYS NZ, ARG NE/NH1/NH2,
  TRP NE1: donors (protonation-specific names HID/HIE/HIP/ASH/GLH/LYN are typed accordingly);
- CYS SG: donor only when free (a thiol; ChimeraX types neutral thiol S as a donor, not an acceptor),
  nothing in a disulfide; MET SD: neither (a thioether is no acceptor in ChimeraX's tables either).

Donors and acceptors, ligand (from `Ligand`: elements, bonds, hydrogen counts, the molblock):
- hydrogens: counted in the file when it has them; else, for ligands read with bond orders, RDKit's
  counts checked against the bond graph (see `hydrogen_counts`); else unknown;
- donor: N, O, or S with one heavy neighbour, that carries a hydrogen. With hydrogens unknown (PDB
  ligands without hydrogens) a possible donor is one whose bond-order sum is below its normal valence
  (N 3, O 2, S 2), bond orders read from bond lengths as ChimeraX's typing does (C=O ≤ 1.30 Å, C=N ≤ 1.31,
  C≡N ≤ 1.22, C=S ≤ 1.68); terminal O on P or S (phosphate, sulfonyl) is never a donor. Poor ligand
  geometry therefore errs towards listing a bond;
- acceptor: every O. N unless it has 3+ heavy neighbours, or is amide-like (bonded to C/S/P carrying a
  terminal O or S: amides, sulfonamides, ureas), or is a non-ring N on an amidine/guanidine carbon
  (protonated at pH 7), or is N⁺H (4 substituents) or an aromatic/conjugated ring N–H (pyrrole-like),
  the last two only when hydrogens are known. S when terminal (thione, thiolate) or in a conjugated ring
  (thiophene); thioethers are not;
- halogens are never acceptors (organic F is a very weak acceptor; ChimeraX does not type it either).

A pair of atoms that could be H-bonded either way (e.g. SER OG with a ligand OH) is reported once,
with `both_ways=True`; `donor` then says the ligand if the ligand atom certainly carries a hydrogen,
else the protein. Unlike PLIP there is no "one H-bond per donor" rule and salt-bridge partners are not
removed: every pair meeting the criterion is listed, as ChimeraX does without explicit hydrogens.
Protein bonds are found from distances (≤ 1.9 Å, ≤ 2.2 Å with S), so peptide links and disulfides are
seen when both residues are in the pocket.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

import numpy as np
from rdkit import Chem
from scipy.spatial import cKDTree

from tools.structure import Complex, Ligand, ResidueId

MAX_DISTANCE = 3.5  # Å, donor–acceptor, before relaxation
MIN_ANGLE = 90.0  # degrees, neighbour–donor···acceptor and neighbour–acceptor···donor, before relaxation
DISTANCE_SLOP = 0.4  # the paper's relaxation of ChimeraX's criteria
ANGLE_SLOP = 20.0
COVALENT_MAX = 2.0  # Å: polar atoms closer than this are bonded, not H-bonded

DONOR, ACCEPTOR, BOTH = "D", "A", "DA"

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

    @property
    def key(self) -> tuple[str, int, str, str, str]:
        rid = self.residue
        return (rid.chain, rid.number, rid.icode, self.protein_atom, self.ligand_atom)


def protein_role(resname: str, atom: str) -> str:
    """'D', 'A', 'DA' or '' for a standard residue's atom (disulfides are handled by the caller)."""
    if atom == "N":
        return "" if resname == "PRO" else DONOR
    if atom in {"O", "OXT"}:
        return ACCEPTOR
    return _SIDE_CHAIN.get(resname, {}).get(atom, "")


def _neighbours(coords: np.ndarray, elements: list[str]) -> list[list[int]]:
    """Covalent neighbours from distances: ≤ 1.9 Å, or ≤ 2.2 Å when sulfur is involved."""
    tree = cKDTree(coords)
    out: list[list[int]] = [[] for _ in range(len(coords))]
    for i, j in tree.query_pairs(2.2):
        limit = 2.2 if "S" in (elements[i], elements[j]) else 1.9
        if np.linalg.norm(coords[i] - coords[j]) <= limit:
            out[i].append(j)
            out[j].append(i)
    return out


def _ring_bonds(n: int, bonds: list[tuple[int, int, int]]) -> set[frozenset[int]]:
    """Bonds that lie in a ring: their ends stay connected without them."""
    adj: list[set[int]] = [set() for _ in range(n)]
    for i, j, _ in bonds:
        adj[i].add(j)
        adj[j].add(i)
    ring = set()
    for i, j, _ in bonds:
        seen, stack = {i}, [i]
        while stack and j not in seen:
            a = stack.pop()
            for b in adj[a] - seen:
                if (a, b) != (i, j):
                    seen.add(b)
                    stack.append(b)
        if j in seen:
            ring.add(frozenset((i, j)))
    return ring


def _order_from_length(e1: str, e2: str, d: float) -> float:
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


def _sanitizes(mol: Chem.Mol, counts: dict[int, int]) -> bool:
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
    if len(heavy) != len(lig.atoms):  # no usable molblock: nothing to check the counts against
        return list(lig.hydrogen_counts)
    if len(heavy) < mol.GetNumAtoms():
        return [sum(n.GetAtomicNum() == 1 for n in a.GetNeighbors()) for a in heavy]
    counts = {a.GetIdx(): lig.hydrogen_counts[k] for k, a in enumerate(heavy)}
    for bond in mol.GetBonds():  # unsanitized reads flag aromatic bonds but not their atoms
        if bond.GetBondType() == Chem.BondType.AROMATIC:
            bond.GetBeginAtom().SetIsAromatic(True)
            bond.GetEndAtom().SetIsAromatic(True)
    if _sanitizes(mol, counts):
        return list(counts.values())
    lost = [
        a.GetIdx() for a in heavy if a.GetSymbol() == "N" and a.GetIsAromatic() and counts[a.GetIdx()] == 0
    ]
    for size in range(1, min(len(lost), 4) + 1):
        for combo in combinations(lost, size):
            trial = {**counts, **{idx: 1 for idx in combo}}
            if _sanitizes(mol, trial):
                return list(trial.values())
    return None


def ligand_roles(lig: Ligand) -> list[str]:
    """'D', 'A', 'DA' or '' per ligand heavy atom, by the rules in the module docstring."""
    return _ligand_typing(lig)[0]


def _ligand_typing(lig: Ligand) -> tuple[list[str], list[int] | None]:
    n, el, xyz = len(lig.atoms), lig.atoms.elements, lig.atoms.coords
    orders_known = any(o != 1 for _, _, o in lig.bonds)  # PDB ligands come with single bonds only
    nbrs: list[list[int]] = [[] for _ in range(n)]
    order: list[dict[int, float]] = [{} for _ in range(n)]
    length: list[dict[int, float]] = [{} for _ in range(n)]
    for i, j, o in lig.bonds:
        d = float(np.linalg.norm(xyz[i] - xyz[j]))
        value = _ORDER.get(o, 1.0) if orders_known else _order_from_length(el[i], el[j], d)
        nbrs[i].append(j)
        nbrs[j].append(i)
        order[i][j] = order[j][i] = value
        length[i][j] = length[j][i] = d
    rings = _ring_bonds(n, lig.bonds)
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
        if h is not None:
            donor = h > 0
        else:
            on_oxo_acid = e == "O" and deg == 1 and el[nbrs[i][0]] in {"P", "S"}  # phosphate/sulfonyl O
            donor = sum(order[i].values()) < _VALENCE[e] - 0.25 and not on_oxo_acid
        donor = donor and (e != "S" or deg == 1)
        if e == "O":
            acceptor = True
        elif e == "S":
            acceptor = deg == 1 or (in_ring and conjugated)
        else:
            amide_like = any(el[m] in {"C", "S", "P"} and terminal_os(m) for m in nbrs[i])
            amidine = not in_ring and any(amidine_carbon(m) for m in nbrs[i])
            charged = h is not None and h + deg >= 4
            pyrrole = h is not None and h > 0 and in_ring and deg == 2 and conjugated
            acceptor = not (deg >= 3 or amide_like or amidine or charged or pyrrole)
        roles.append((DONOR if donor else "") + (ACCEPTOR if acceptor else ""))
    return roles, hcounts


def _min_angle(centre: np.ndarray, partner: np.ndarray, neighbours: np.ndarray) -> float | None:
    """Smallest neighbour–centre···partner angle in degrees, None without neighbours."""
    if len(neighbours) == 0:
        return None
    u = neighbours - centre
    v = partner - centre
    lengths = np.linalg.norm(u, axis=1) * np.linalg.norm(v)
    defined = lengths > 0  # a coincident atom (a duplicate in the file) makes no angle
    if not defined.any():
        return None
    cos = (u[defined] @ v) / lengths[defined]
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))).min())


def find_hbonds(cx: Complex, residues: Iterable[ResidueId] | None = None) -> list[HBond]:
    """Every pocket–ligand H-bond meeting the criterion, sorted by (chain, number, icode, atom, ligand atom).

    `residues` restricts the search to those pocket residues (ResidueId equality: chain, number,
    insertion code and name).
    """
    pocket, lig = cx.pocket, cx.ligand
    wanted = None if residues is None else set(residues)
    p_nbrs = _neighbours(pocket.coords, pocket.elements)
    p_roles = []
    for i, rid in enumerate(pocket.residues):
        role = protein_role(rid.name, pocket.names[i])
        if role and pocket.elements[i] == "S" and any(pocket.elements[k] == "S" for k in p_nbrs[i]):
            role = ""  # disulfide: no thiol hydrogen
        if wanted is not None and rid not in wanted:
            role = ""
        p_roles.append(role)
    l_roles, l_hcounts = _ligand_typing(lig)
    l_nbrs: list[list[int]] = [[] for _ in range(len(lig.atoms))]
    for i, j, _ in lig.bonds:
        l_nbrs[i].append(j)
        l_nbrs[j].append(i)

    p_idx = [i for i, r in enumerate(p_roles) if r]
    l_idx = [i for i, r in enumerate(l_roles) if r]
    if not p_idx or not l_idx:
        return []
    cutoff = MAX_DISTANCE + DISTANCE_SLOP
    min_angle = MIN_ANGLE - ANGLE_SLOP
    tree = cKDTree(lig.atoms.coords[l_idx])
    found = []
    for pi, hits in zip(p_idx, tree.query_ball_point(pocket.coords[p_idx], r=cutoff), strict=True):
        for h in hits:
            li = l_idx[h]
            p_xyz, l_xyz = pocket.coords[pi], lig.atoms.coords[li]
            dist = float(np.linalg.norm(p_xyz - l_xyz))
            protein_donates = DONOR in p_roles[pi] and ACCEPTOR in l_roles[li]
            ligand_donates = DONOR in l_roles[li] and ACCEPTOR in p_roles[pi]
            if dist < COVALENT_MAX or not (protein_donates or ligand_donates):
                continue
            p_angle = _min_angle(p_xyz, l_xyz, pocket.coords[p_nbrs[pi]])
            l_angle = _min_angle(l_xyz, p_xyz, lig.atoms.coords[l_nbrs[li]])
            if any(a is not None and a < min_angle for a in (p_angle, l_angle)):
                continue
            ligand_sure = l_hcounts is not None and l_hcounts[li] > 0
            donor = "ligand" if ligand_donates and (ligand_sure or not protein_donates) else "protein"
            d_angle, a_angle = (p_angle, l_angle) if donor == "protein" else (l_angle, p_angle)
            found.append(
                HBond(
                    residue=pocket.residues[pi],
                    protein_atom=pocket.names[pi],
                    ligand_atom=lig.atoms.names[li],
                    donor=donor,
                    distance=round(dist, 3),
                    donor_angle=None if d_angle is None else round(d_angle, 1),
                    acceptor_angle=None if a_angle is None else round(a_angle, 1),
                    both_ways=protein_donates and ligand_donates,
                )
            )
    return sorted(found, key=lambda hb: hb.key)
