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

The package: `limits` (the numbers), `graph` (bonds from distances, covalent links), `roles` (donor and
acceptor typing), `hydrogens` (angles and fixed H positions), `criterion` (one pair), `find` (a complex).
"""

from __future__ import annotations

from eval.misi.hbonds.find import HBond, find_hbonds
from eval.misi.hbonds.limits import (
    ANGLE_SLOP,
    DHA_MIN,
    DISTANCE_SLOP,
    ROTOR_MAX_DISTANCE,
)
from eval.misi.hbonds.roles import hydrogen_counts, ligand_roles, protein_role

__all__ = [
    "ANGLE_SLOP",
    "DHA_MIN",
    "DISTANCE_SLOP",
    "ROTOR_MAX_DISTANCE",
    "HBond",
    "find_hbonds",
    "hydrogen_counts",
    "ligand_roles",
    "protein_role",
]
