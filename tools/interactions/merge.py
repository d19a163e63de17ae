"""One PDB text holding a complex's pocket and ligand, written the way PLIP reads it correctly (PLIP.md).

- pocket atoms first, serials consecutive, one numbered TER per chain, insertion codes kept;
- the ligand last as one residue `LIG <chain> 900` on a chain letter the pocket does not use, with its
  hydrogens when the source had them (PLIP's own protonation of a bare ligand is a guess);
- element (cols 77-78) and charge (cols 79-80) on every atom line and every line padded to 80 columns, so
  a hydrogen's line ends in blank charge columns, not in "H" (PLIP's fixer drops lines ending in H);
- CONECT records with the final serials.

PLIP renumbers residues with insertion codes to 0, so answers are mapped back through the serials kept
in `MergedComplex` (serial → pocket residue and atom name, serial → ligand atom name as the images label
it), never through PLIP's residue numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from rdkit import Chem

from tools.structure import Complex, ResidueId

LIGAND_RESNAME = "LIG"
LIGAND_RESNUM = 900
# Preferred ligand chain letters; A and Z come last because PLIP's fixer gives blank chains those ids.
_CHAIN_CHOICES = "LXYWVUTSRQPONMKJIHGFEDCBZA0123456789"


@dataclass(frozen=True)
class ProteinAtomRef:
    residue: ResidueId
    atom: str


@dataclass
class MergedComplex:
    """The merged PDB text and the serial maps needed to read PLIP's answers back."""

    pdb_id: str
    text: str
    ligand_chain: str
    protein_atoms: dict[int, ProteinAtomRef]
    ligand_atoms: dict[int, str]  # serial → ligand atom name (heavy atoms and hydrogens)
    ligand_heavy_atoms: int
    serials: list[int] = field(default_factory=list)  # every ATOM/HETATM serial, in file order

    @property
    def site(self) -> str:
        """PLIP's binding-site id for the ligand."""
        return f"{LIGAND_RESNAME}:{self.ligand_chain}:{LIGAND_RESNUM}"


def _atom_name_field(name: str, element: str) -> str:
    """PDB columns 13-16: one-letter elements start in column 14 unless the name fills all four."""
    name = name[:4]
    if len(name) < 4 and len(element) == 1:
        return f" {name:<3}"
    return f"{name:<4}"


def _charge_field(charge: int) -> str:
    return f"{abs(charge)}{'+' if charge > 0 else '-'}" if charge else "  "


def _atom_line(
    record: str,
    serial: int,
    name: str,
    resname: str,
    chain: str,
    resnum: int,
    icode: str,
    xyz: np.ndarray,
    element: str,
    charge: int = 0,
) -> str:
    line = (
        f"{record:<6}{serial:>5} {_atom_name_field(name, element)} {resname:>3} {chain[:1] or ' '}"
        f"{resnum:>4}{(icode or ' ')[:1]}   {xyz[0]:8.3f}{xyz[1]:8.3f}{xyz[2]:8.3f}{1.0:6.2f}{0.0:6.2f}"
        f"          {element.upper():>2}{_charge_field(charge)}"
    )
    return f"{line:<80}"


def _ter_line(serial: int, resname: str, chain: str, resnum: int, icode: str) -> str:
    line = f"TER   {serial:>5}      {resname:>3} {chain[:1] or ' '}{resnum:>4}{(icode or ' ')[:1]}"
    return f"{line:<80}"


def _free_chain(used: set[str]) -> str:
    for letter in _CHAIN_CHOICES:
        if letter not in used:
            return letter
    raise ValueError("no free chain letter for the ligand: the pocket uses all of them")


def _ligand_mol(cx: Complex) -> Chem.Mol | None:
    """The ligand with its hydrogens (from the molblock), or None if that block cannot be trusted."""
    mol = Chem.MolFromMolBlock(cx.ligand.molblock, sanitize=False, removeHs=False)
    if mol is None or mol.GetNumConformers() == 0:
        return None
    heavy = [a.GetIdx() for a in mol.GetAtoms() if a.GetAtomicNum() > 1]
    if len(heavy) != len(cx.ligand.atoms):
        return None
    xyz = mol.GetConformer().GetPositions()[heavy]
    # The molblock must list the heavy atoms in the ligand's order: their names depend on it.
    return mol if np.allclose(xyz, cx.ligand.atoms.coords, atol=1e-3) else None


def _ligand_atoms(cx: Complex) -> tuple[list[tuple[str, str, np.ndarray, int]], list[tuple[int, int]]]:
    """(name, element, xyz, formal charge) per ligand atom, heavy atoms named as the images label them,
    and the bonds as index pairs."""
    lig = cx.ligand
    mol = _ligand_mol(cx)
    if mol is None:
        heavy = zip(lig.atoms.names, lig.atoms.elements, lig.atoms.coords, strict=True)
        return [(name, el, xyz, 0) for name, el, xyz in heavy], [(i, j) for i, j, _ in lig.bonds]
    taken = set(lig.atoms.names)
    heavy_iter = iter(lig.atoms.names)
    xyz = mol.GetConformer().GetPositions()
    atoms, h_count = [], 0
    for atom in mol.GetAtoms():
        if atom.GetAtomicNum() > 1:
            name = next(heavy_iter)
        else:
            h_count += 1
            name = f"H{h_count}"
            while name in taken:  # keep hydrogen names unique next to the heavy atoms' names
                h_count += 1
                name = f"H{h_count}"
        taken.add(name)
        atoms.append((name, atom.GetSymbol().capitalize(), xyz[atom.GetIdx()], atom.GetFormalCharge()))
    bonds = [(b.GetBeginAtomIdx(), b.GetEndAtomIdx()) for b in mol.GetBonds()]
    return atoms, bonds


def _conect_lines(bonds: list[tuple[int, int]], serial_of: list[int]) -> list[str]:
    partners: dict[int, list[int]] = {}
    for i, j in bonds:
        partners.setdefault(serial_of[i], []).append(serial_of[j])
        partners.setdefault(serial_of[j], []).append(serial_of[i])
    lines = []
    for serial in sorted(partners):
        others = sorted(partners[serial])
        for k in range(0, len(others), 4):  # a CONECT record holds at most four partners
            record = f"CONECT{serial:>5}" + "".join(f"{o:>5}" for o in others[k : k + 4])
            lines.append(f"{record:<80}")
    return lines


def merge_complex(cx: Complex) -> MergedComplex:
    """The pocket + ligand of `cx` as one PDB text, with serial maps back to residues and atom names."""
    lines: list[str] = []
    protein_atoms: dict[int, ProteinAtomRef] = {}
    serials: list[int] = []
    serial = 0
    pocket = cx.pocket
    for i, rid in enumerate(pocket.residues):
        serial += 1
        lines.append(
            _atom_line(
                "ATOM",
                serial,
                pocket.names[i],
                rid.name,
                rid.chain,
                rid.number,
                rid.icode,
                pocket.coords[i],
                pocket.elements[i],
            )
        )
        protein_atoms[serial] = ProteinAtomRef(rid, pocket.names[i])
        serials.append(serial)
        last_of_chain = i + 1 == len(pocket) or pocket.residues[i + 1].chain != rid.chain
        if last_of_chain:
            serial += 1  # TER takes a serial: PLIP's fixer and serial map count it
            lines.append(_ter_line(serial, rid.name, rid.chain, rid.number, rid.icode))
    used = {r.chain for r in pocket.residues}
    chain = _free_chain(used | ({"A", "Z"} if "" in used else set()))
    atoms, bonds = _ligand_atoms(cx)
    ligand_atoms: dict[int, str] = {}
    serial_of: list[int] = []
    for name, element, xyz, charge in atoms:
        serial += 1
        lines.append(
            _atom_line(
                "HETATM",
                serial,
                name,
                LIGAND_RESNAME,
                chain,
                LIGAND_RESNUM,
                "",
                xyz,
                element,
                charge,
            )
        )
        ligand_atoms[serial] = name
        serial_of.append(serial)
        serials.append(serial)
    serial += 1
    lines.append(_ter_line(serial, LIGAND_RESNAME, chain, LIGAND_RESNUM, ""))
    lines.extend(_conect_lines(bonds, serial_of))
    lines.append(f"{'END':<80}")
    return MergedComplex(
        pdb_id=cx.pdb_id,
        text="\n".join(lines) + "\n",
        ligand_chain=chain,
        protein_atoms=protein_atoms,
        ligand_atoms=ligand_atoms,
        ligand_heavy_atoms=len(cx.ligand.atoms),
        serials=serials,
    )
