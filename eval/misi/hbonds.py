"""Pocket–ligand hydrogen bonds for MiSI-Bench's answer key (tasks T4, T8, T9), from geometry alone.

This is the benchmark's ground truth, so it does not use PLIP: the agent has a PLIP tool, and an answer
key computed by the same program would grade the tool against itself. The paper took its H-bonds from
UCSF ChimeraX's `hbonds` "with its default criteria, relaxed by 0.4 Å and 20°": 0.4 Å and 20° are
ChimeraX's own default tolerances, so the key reproduces ChimeraX at its defaults. ChimeraX is not a
dependency; the criterion below follows its published method (Mills & Dean 1996 geometry per donor and
acceptor kind; explicit hydrogens used where the heavy atoms fix them, heavy-atom angles where they do
not; every limit loosened by the tolerances) and its limits were measured against ChimeraX 1.7.1 run on
pocket + ligand with waters and all hydrogens removed (`eval/perf/hbonds_vs_chimerax.py`). Hydrogens in
the input files are not used for geometry: like ChimeraX with hydrogens deleted, the key infers them.

The criterion. Limits before the tolerances (DISTANCE_SLOP 0.4 Å, ANGLE_SLOP 20°):
- donors whose hydrogens the heavy atoms fix (sp2 N–H: backbone N, Asn/Gln/Arg NH2, Arg NE, Trp NE1,
  His ring N; ligand N–H on a planar N or NH2 on a planar atom; an OH on a planar atom, as in a phenol
  or Tyr OH, whose H lies in that plane on one of two sides): the hydrogens are placed (N–H 1.01 Å,
  O–H 0.97 Å), and one of them must have H···A ≤ 2.3 Å and D–H···A ≥ 140°, with D···A ≤ 3.5 Å;
- rotatable donors (other OH, NH3+, sp3 N–H, or an N whose plane cannot be told): D···A ≤ 3.1 Å
  (thiol S 3.55 Å) and every heavy neighbour X of the donor has 95° ≤ X–D···A ≤ 140° (the H sits
  about 109° off the X–D bond, so a partner straight along that bond is out of its reach);
- every heavy neighbour Y of the acceptor has Y–A···D ≥ 95°; at a protein amide C=O (backbone O, Asn OD1,
  Gln OE1) C=O···D ≥ 115°, since its lone pairs sit about 120° off the C=O bond.
Pairs closer than 2.0 Å are bonded, not H-bonded. A pocket atom within covalent reach of a ligand atom
(radii + 0.4 Å: a covalent inhibitor) is bonded to it: a linked Ser/Thr/Tyr O or Cys S has given its
hydrogen to the bond, atoms up to three bonds apart through the link are never paired, and each linked
atom is the other's neighbour for the angles. Where a residue has alternate locations at equal occupancy
the loader keeps the copy with the lower B-factors (tools/structure/altlocs.py), as ChimeraX shows it.
The limits were fitted on the bundled complexes and checked on other PDBbind complexes: F1 0.952 and 0.951
against ChimeraX (most remaining differences are ligand typing: which ring N carries the H).

Earlier releases used one heavy-atom criterion for every pair (D···A ≤ 3.5 + 0.4 Å, both neighbour angles
≥ 90° − 20°): it listed about 1.5× as many bonds as ChimeraX (precision 0.62 on the bundled complexes).

Donors and acceptors, protein (by residue and atom name):
- backbone N donor (not proline); backbone O and OXT acceptors;
- SER OG, THR OG1, TYR OH, HIS ND1/NE2: donor and acceptor (H positions / tautomers unknown); an N
  within 2.6 Å of a metal ion (a zinc-bound His) is no donor: the metal holds its lone pair;
- ASN OD1, GLN OE1, ASP OD1/OD2, GLU OE1/OE2: acceptors; ASN ND2, GLN NE2, LYS NZ, ARG NE/NH1/NH2,
  TRP NE1: donors (protonation-specific names HID/HIE/HIP/ASH/GLH/LYN are typed accordingly);
- CYS SG: donor only when free (a thiol; ChimeraX types neutral thiol S as a donor, not an acceptor),
  nothing in a disulfide; MET SD: neither (a thioether is no acceptor in ChimeraX's tables either).

Donors and acceptors, ligand (from `Ligand`: elements, bonds, hydrogen counts, the molblock):
- hydrogens: counted in the file when it has them; else, for ligands read with bond orders, RDKit's
  counts checked against the bond graph (see `hydrogen_counts`); else unknown;
- donor: N, O, or S with one heavy neighbour, that carries a hydrogen; never an O as close to its carbon
  as a C=O (≤ 1.30 Å, whatever the file's bond order) nor an N that holds a metal (a heme's pyrrole N;
  metal–ligand bonds are coordination, not covalent bonds, for every other typing rule). With hydrogens
  unknown (PDB ligands without hydrogens) a possible donor is one whose bond-order sum is below its
  normal valence (N 3, O 2, S 2), bond orders read from bond lengths (C=O ≤ 1.30 Å, C=N ≤ 1.31, C≡N ≤ 1.22,
  C=S ≤ 1.68). Typed from geometry whatever hydrogens the file gives, as ChimeraX does once they are
  deleted: the terminal O of a carboxyl, phosphate, sulfonate or sulfonyl group is an acceptor only (the
  anion); a 6-ring N between two ring atoms with no C=O beside it is pyridine-like (no H); a tertiary
  amine on sp3 carbons is protonated (a donor, no acceptor);
- acceptor: every O. N unless it has 3+ heavy neighbours, or is amide-like (bonded to C/S/P carrying a
  terminal O or S: amides, sulfonamides, ureas), or is a non-ring N on an amidine/guanidine carbon
  (protonated at pH 7), or is N⁺H (4 substituents) or an aromatic/conjugated ring N–H (pyrrole-like),
  the last two only when hydrogens are known. S when terminal (thione, thiolate) or in a conjugated ring
  (thiophene); thioethers are not;
- halogens are never acceptors (organic F is a very weak acceptor; ChimeraX does not type it either).

A pair of atoms that could be H-bonded either way (e.g. SER OG with a ligand OH) is reported once,
with `both_ways=True`; `donor` then says the ligand if the ligand atom certainly carries a hydrogen,
else the protein. Unlike PLIP there is no "one H-bond per donor" rule and salt-bridge partners are not
removed: every pair meeting the criterion is listed, as ChimeraX does. Protein bonds are found from
distances (≤ 1.9 Å, ≤ 2.2 Å with S), so peptide links and disulfides are seen when both residues are in
the pocket (a backbone N whose preceding residue is outside the pocket is treated as a rotatable donor).
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
from tools.structure.protein import METALS

DISTANCE_SLOP = 0.4  # ChimeraX's default tolerances, which the paper used
ANGLE_SLOP = 20.0
COVALENT_MAX = 2.0  # Å: polar atoms closer than this are bonded, not H-bonded

# Limits before the slops (see the module docstring for where each value comes from).
FIXED_H_MAX_DISTANCE = 3.5  # Å, donor–acceptor, donors whose hydrogens the heavy atoms fix
HA_MAX = 2.3  # Å, hydrogen–acceptor
DHA_MIN = 140.0  # degrees, donor–H···acceptor
ROTOR_MAX_DISTANCE = 3.1  # Å, donor–acceptor, rotatable donors (OH, NH3+, sp3 N–H)
SULFUR_MAX_DISTANCE = 3.55  # Å, donor–acceptor, thiol donors
ROTOR_MIN_ANGLE = 95.0  # degrees, neighbour–donor···acceptor, rotatable donors
ROTOR_MAX_ANGLE = 140.0  # degrees, the same angle's upper limit (the H is ~109° off the X–D bond)
ACCEPTOR_MIN_ANGLE = 95.0  # degrees, neighbour–acceptor···donor
AMIDE_O_MIN_ANGLE = 115.0  # degrees, C=O···donor at a protein amide O: its lone pairs sit ~120° off C=O
MAX_DISTANCE = max(FIXED_H_MAX_DISTANCE, ROTOR_MAX_DISTANCE, SULFUR_MAX_DISTANCE)  # Å, any kind of donor
N_H_LENGTH = 1.01  # Å
O_H_LENGTH = 0.97  # Å
METAL_BOND_MAX = 2.6  # Å: a protein N this close to a metal ion coordinates it
# Covalent radii (Å); a pocket and a ligand atom within the sum + 0.4 Å are bonded (a covalent inhibitor)
COVALENT_RADIUS = {"C": 0.76, "N": 0.71, "O": 0.66, "S": 1.05, "P": 1.07, "B": 0.84, "SE": 1.20}
BOND_TOLERANCE = 0.4

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
_PLANAR_NH = {("ARG", "NE"), ("TRP", "NE1"), ("HIS", "ND1"), ("HIS", "NE2"), ("HID", "ND1"), ("HIE", "NE2")}
_PLANAR_NH |= {("HIP", "ND1"), ("HIP", "NE2")}
_PLANAR_NH2 = {("ASN", "ND2"), ("GLN", "NE2"), ("ARG", "NH1"), ("ARG", "NH2")}
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
    hydrogen_angle: float | None = None  # donor–H···acceptor, degrees, when the donor's H are fixed

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


def _ring_size(k: int, nbrs: list[list[int]]) -> int | None:
    """Size of the smallest ring through atom k and two of its neighbours (None: not in a ring)."""
    best = None
    for a, b in combinations(nbrs[k], 2):
        seen, frontier, steps = {k, a}, [a], 1
        while frontier and b not in seen and steps < 8:
            frontier = [m for x in frontier for m in nbrs[x] if m not in seen]
            seen.update(frontier)
            steps += 1
        if b in seen:
            best = min(best or 99, steps + 1)
    return best


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
    if mol is None or len(heavy) != len(lig.atoms):  # no usable molblock: nothing to check the counts against
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


def _covalent_bonds(lig: Ligand) -> list[tuple[int, int, int]]:
    """The ligand's bonds without metal coordination (a heme's Fe–N): a metal neither takes an N's place
    for a hydrogen nor makes it a tertiary N, so the N stays an acceptor, as ChimeraX types it."""
    el = lig.atoms.elements
    return [(i, j, o) for i, j, o in lig.bonds if el[i].upper() not in METALS and el[j].upper() not in METALS]


def _ligand_typing(lig: Ligand) -> tuple[list[str], list[int] | None]:
    n, el, xyz = len(lig.atoms), lig.atoms.elements, lig.atoms.coords
    bonds = _covalent_bonds(lig)
    metal_bound = {k for i, j, _ in lig.bonds for k in (i, j) if {el[i].upper(), el[j].upper()} & METALS}
    orders_known = any(o != 1 for _, _, o in bonds)  # PDB ligands come with single bonds only
    nbrs: list[list[int]] = [[] for _ in range(n)]
    order: list[dict[int, float]] = [{} for _ in range(n)]
    length: list[dict[int, float]] = [{} for _ in range(n)]
    for i, j, o in bonds:
        d = float(np.linalg.norm(xyz[i] - xyz[j]))
        value = _ORDER.get(o, 1.0) if orders_known else _order_from_length(el[i], el[j], d)
        nbrs[i].append(j)
        nbrs[j].append(i)
        order[i][j] = order[j][i] = value
        length[i][j] = length[j][i] = d
    rings = _ring_bonds(n, bonds)
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
        if _is_planar(k, xyz, nbrs):
            return False
        return all(
            el[m] == "C"
            and all(v == 1.0 for v in order[m].values())
            and not (len(nbrs[m]) >= 2 and _is_planar(m, xyz, nbrs))
            for m in nbrs[k]
        )

    def pyridine_like(k: int) -> bool:  # a 6-ring N between two ring atoms, no C=O beside it (not a lactam)
        if el[k] != "N" or len(nbrs[k]) != 2 or not _is_planar(k, xyz, nbrs):
            return False
        return _ring_size(k, nbrs) == 6 and not any(terminal_os(m) for m in nbrs[k])

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
        elif e == "O" and deg == 1 and _order_from_length(e, el[nbrs[i][0]], length[i][nbrs[i][0]]) > 1:
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


def _covalent_links(cx: Complex) -> list[tuple[int, int]]:
    """(pocket atom, ligand atom) pairs bonded across the interface, as a covalent inhibitor is."""
    pocket, lig = cx.pocket, cx.ligand
    reach = 2 * max(COVALENT_RADIUS.values()) + BOND_TOLERANCE
    tree = cKDTree(lig.atoms.coords)
    links = []
    for pi, hits in enumerate(tree.query_ball_point(pocket.coords, r=reach)):
        for li in hits:
            r = [COVALENT_RADIUS.get(e.upper()) for e in (pocket.elements[pi], lig.atoms.elements[li])]
            if None in r:
                continue
            limit = float(r[0]) + float(r[1]) + BOND_TOLERANCE  # type: ignore[arg-type]
            if float(np.linalg.norm(pocket.coords[pi] - lig.atoms.coords[li])) <= limit:
                links.append((pi, li))
    return links


def _within_bonds(start: int, nbrs: list[list[int]], depth: int) -> dict[int, int]:
    """Atoms at most `depth` bonds from `start`, with their bond counts."""
    seen, frontier = {start: 0}, [start]
    for step in range(1, depth + 1):
        frontier = [m for x in frontier for m in nbrs[x] if m not in seen]
        seen.update({m: step for m in frontier})
    return seen


def _angle(a: np.ndarray, vertex: np.ndarray, b: np.ndarray) -> float:
    u, v = a - vertex, b - vertex
    cos = float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def _min_angle(centre: np.ndarray, partner: np.ndarray, neighbours: np.ndarray) -> float | None:
    """Smallest neighbour–centre···partner angle in degrees, None without neighbours."""
    if len(neighbours) == 0:
        return None
    # a coincident atom (a duplicate in the file) makes no angle
    angles = [_angle(n, centre, partner) for n in neighbours if np.linalg.norm(n - centre) > 0]
    if not angles or np.linalg.norm(partner - centre) == 0:
        return None
    return min(angles)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _bisector_hydrogen(donor: np.ndarray, neighbours: np.ndarray) -> np.ndarray:
    """The one H of a planar (sp2) donor with two heavy neighbours: in their plane, opposite both."""
    v = -(_unit(neighbours[0] - donor) + _unit(neighbours[1] - donor))
    return (donor + N_H_LENGTH * _unit(v))[None, :]


def _amino_hydrogens(donor: np.ndarray, base: np.ndarray, plane: np.ndarray) -> np.ndarray:
    """The two H of a planar NH2 on `base`, in the plane of donor, base and `plane` (another atom on base)."""
    b = _unit(base - donor)
    normal = np.cross(b, plane - base)
    if np.linalg.norm(normal) < 1e-6:
        return np.empty((0, 3))
    p = _unit(np.cross(_unit(normal), b))
    c, s = np.cos(np.radians(120.0)), np.sin(np.radians(120.0))
    return np.array([donor + N_H_LENGTH * (c * b + sign * s * p) for sign in (1.0, -1.0)])


def _is_planar(centre: int, coords: np.ndarray, nbrs: list[list[int]]) -> bool:
    """sp2 from geometry: three neighbours whose bond angles sum to about 360°, or two at ≥ 115°."""
    around = nbrs[centre]
    if len(around) == 3:
        pairs = [(around[0], around[1]), (around[0], around[2]), (around[1], around[2])]
        return sum(_angle(coords[a], coords[centre], coords[b]) for a, b in pairs) >= 350.0
    if len(around) == 2:
        return _angle(coords[around[0]], coords[centre], coords[around[1]]) >= 115.0
    return False


def _placed_hydrogens(
    i: int, coords: np.ndarray, nbrs: list[list[int]], n_h: int | None
) -> np.ndarray | None:
    """Hydrogen positions of an N donor whose hydrogens the heavy atoms fix, else None (a rotor: OH, SH,
    NH3+, sp3 N–H, or an N whose plane is unknown).

    - two heavy neighbours on a planar N (amide, aromatic or conjugated N–H): one H on the bisector;
    - one heavy neighbour that is itself planar (amide or amidine NH2, aniline): two H in that plane.
    `n_h` (hydrogens, when known) must agree: 1 for the first case, 2 for the second.
    """
    around = nbrs[i]
    if len(around) == 2 and n_h in (None, 1) and _is_planar(i, coords, nbrs):
        return _bisector_hydrogen(coords[i], coords[around])
    if len(around) == 1 and n_h in (None, 2):
        base = around[0]
        others = [k for k in nbrs[base] if k != i]
        if others and _is_planar(base, coords, nbrs):
            placed = _amino_hydrogens(coords[i], coords[base], coords[others[0]])
            return placed if len(placed) else None
    return None


def _phenol_hydrogens(i: int, coords: np.ndarray, nbrs: list[list[int]]) -> np.ndarray | None:
    """The two in-plane H sites of an OH on a planar atom (phenol, Tyr OH, enol), C–O–H 109.5°; None for
    other hydroxyls, whose H can turn freely."""
    if len(nbrs[i]) != 1:
        return None
    base = nbrs[i][0]
    others = [k for k in nbrs[base] if k != i]
    if len(nbrs[base]) < 2 or not _is_planar(base, coords, nbrs) or not others:
        return None
    d = coords[i]
    b = _unit(coords[base] - d)
    normal = np.cross(b, coords[others[0]] - coords[base])
    if np.linalg.norm(normal) < 1e-6:
        return None
    p = _unit(np.cross(_unit(normal), b))
    c, s_ = np.cos(np.radians(109.5)), np.sin(np.radians(109.5))
    return np.array([d + O_H_LENGTH * (c * b + sign * s_ * p) for sign in (1.0, -1.0)])


def _protein_hydrogens(
    resname: str, atom: str, i: int, coords: np.ndarray, nbrs: list[list[int]]
) -> np.ndarray | None:
    """Fixed hydrogens of the protein's sp2 N donors (backbone N, Asn/Gln/Arg NH2, Arg NE, Trp, His)."""
    if (atom == "N" or (resname, atom) in _PLANAR_NH) and len(nbrs[i]) == 2:
        return _bisector_hydrogen(coords[i], coords[nbrs[i]])
    if (resname, atom) in _PLANAR_NH2 and len(nbrs[i]) == 1:
        base = nbrs[i][0]
        others = [k for k in nbrs[base] if k != i]
        if others:
            placed = _amino_hydrogens(coords[i], coords[base], coords[others[0]])
            return placed if len(placed) else None
    return None


@dataclass(frozen=True)
class _Atom:
    """One side of a candidate pair: position, heavy neighbours, and fixed hydrogens if it donates."""

    xyz: np.ndarray
    element: str
    neighbours: np.ndarray
    hydrogens: np.ndarray | None
    amide_oxygen: bool = False  # a protein amide C=O (backbone O, Asn OD1, Gln OE1) as the acceptor


@dataclass(frozen=True)
class _Verdict:
    ok: bool
    donor_angle: float | None
    acceptor_angle: float | None
    hydrogen_angle: float | None = None


def _judge(donor: _Atom, acceptor: _Atom, dist: float) -> _Verdict:
    """Does donor···acceptor meet the criterion? Angles are reported for the record either way."""
    d_angle = _min_angle(donor.xyz, acceptor.xyz, donor.neighbours)
    a_angle = _min_angle(acceptor.xyz, donor.xyz, acceptor.neighbours)
    a_min = AMIDE_O_MIN_ANGLE if acceptor.amide_oxygen else ACCEPTOR_MIN_ANGLE
    if a_angle is not None and a_angle < a_min - ANGLE_SLOP:
        return _Verdict(False, d_angle, a_angle)
    if donor.hydrogens is not None:
        best = None
        for h in donor.hydrogens:
            h_angle = _angle(donor.xyz, h, acceptor.xyz)
            if float(np.linalg.norm(h - acceptor.xyz)) <= HA_MAX + DISTANCE_SLOP and (
                best is None or h_angle > best
            ):
                best = h_angle
        ok = (
            dist <= FIXED_H_MAX_DISTANCE + DISTANCE_SLOP and best is not None and best >= DHA_MIN - ANGLE_SLOP
        )
        return _Verdict(ok, d_angle, a_angle, best)
    limit = SULFUR_MAX_DISTANCE if donor.element == "S" else ROTOR_MAX_DISTANCE
    ok = dist <= limit + DISTANCE_SLOP and (
        d_angle is None or ROTOR_MIN_ANGLE - ANGLE_SLOP <= d_angle <= ROTOR_MAX_ANGLE + ANGLE_SLOP
    )
    return _Verdict(ok, d_angle, a_angle)


def find_hbonds(cx: Complex, residues: Iterable[ResidueId] | None = None) -> list[HBond]:
    """Every pocket–ligand H-bond meeting the criterion, sorted by (chain, number, icode, atom, ligand atom).

    `residues` restricts the search to those pocket residues (ResidueId equality: chain, number,
    insertion code and name).
    """
    pocket, lig = cx.pocket, cx.ligand
    wanted = None if residues is None else set(residues)
    p_nbrs = _neighbours(pocket.coords, pocket.elements)
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
    l_roles, l_hcounts = _ligand_typing(lig)
    l_xyz = lig.atoms.coords
    l_nbrs: list[list[int]] = [[] for _ in range(len(lig.atoms))]
    for i, j, _ in _covalent_bonds(lig):
        l_nbrs[i].append(j)
        l_nbrs[j].append(i)
    # A covalent link: the linked O/S has lost its hydrogen to the bond, atoms up to three bonds apart
    # through the link are never H-bonded, and each linked atom counts the other as a neighbour.
    links = _covalent_links(cx)
    too_close: set[tuple[int, int]] = set()
    p_extra: dict[int, list[int]] = {}
    l_extra: dict[int, list[int]] = {}
    for pi, li in links:
        if pocket.elements[pi] in ("O", "S"):
            p_roles[pi] = "" if pocket.elements[pi] == "S" else p_roles[pi].replace(DONOR, "")
        p_extra.setdefault(pi, []).append(li)
        l_extra.setdefault(li, []).append(pi)
        near_p, near_l = _within_bonds(pi, p_nbrs, 2), _within_bonds(li, l_nbrs, 2)
        too_close |= {(a, b) for a, da in near_p.items() for b, db in near_l.items() if da + db + 1 <= 3}

    p_idx = [i for i, r in enumerate(p_roles) if r]
    l_idx = [i for i, r in enumerate(l_roles) if r]
    if not p_idx or not l_idx:
        return []

    def protein_atom(i: int, donates: bool) -> _Atom:
        rid, name = pocket.residues[i], pocket.names[i]
        hyd = _protein_hydrogens(rid.name, name, i, pocket.coords, p_nbrs) if donates else None
        if donates and (rid.name, name) == ("TYR", "OH"):
            hyd = _phenol_hydrogens(i, pocket.coords, p_nbrs)
        around = np.vstack([pocket.coords[p_nbrs[i]], l_xyz[p_extra.get(i, [])]])
        amide_o = not donates and (name == "O" or (rid.name, name) in {("ASN", "OD1"), ("GLN", "OE1")})
        return _Atom(pocket.coords[i], pocket.elements[i], around, hyd, amide_o)

    def ligand_atom(i: int, donates: bool) -> _Atom:
        n_h = None if l_hcounts is None else l_hcounts[i]
        planar_n = donates and lig.atoms.elements[i] == "N"
        hyd = _placed_hydrogens(i, l_xyz, l_nbrs, n_h) if planar_n else None
        if donates and lig.atoms.elements[i] == "O":
            hyd = _phenol_hydrogens(i, l_xyz, l_nbrs)
        around = np.vstack([l_xyz[l_nbrs[i]], pocket.coords[l_extra.get(i, [])]])
        return _Atom(l_xyz[i], lig.atoms.elements[i], around, hyd)

    search = MAX_DISTANCE + DISTANCE_SLOP
    tree = cKDTree(l_xyz[l_idx])
    found = []
    for pi, hits in zip(p_idx, tree.query_ball_point(pocket.coords[p_idx], r=search), strict=True):
        for h in hits:
            li = l_idx[h]
            dist = float(np.linalg.norm(pocket.coords[pi] - l_xyz[li]))
            if dist < COVALENT_MAX or (pi, li) in too_close:
                continue
            ways: list[tuple[str, _Verdict]] = []
            if DONOR in p_roles[pi] and ACCEPTOR in l_roles[li]:
                ways.append(("protein", _judge(protein_atom(pi, True), ligand_atom(li, False), dist)))
            if DONOR in l_roles[li] and ACCEPTOR in p_roles[pi]:
                ways.append(("ligand", _judge(ligand_atom(li, True), protein_atom(pi, False), dist)))
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
