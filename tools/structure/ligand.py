"""Reading a ligand from MOL2, SDF or the HETATM lines of a PDB file, keeping atom names and hydrogens.

Order of preference (see PLIP.md measurements): MOL2 sanitized, SDF sanitized, either unsanitized, then
Open Babel's reading of the file converted to MOL2. RDKit is imported before Open Babel on purpose.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
from rdkit import Chem, rdBase

from tools.structure.model import AtomTable, Ligand, ResidueId, StructureError

rdBase.DisableLog("rdApp.*")

_BOND_ORDER = {
    Chem.BondType.SINGLE: 1,
    Chem.BondType.DOUBLE: 2,
    Chem.BondType.TRIPLE: 3,
    Chem.BondType.AROMATIC: 4,
}


def _generated_names(mol: Chem.Mol) -> list[str]:
    """Element + running number per element (C1, C2, N1, …) for formats without atom names."""
    seen: Counter[str] = Counter()
    names = []
    for atom in mol.GetAtoms():
        sym = atom.GetSymbol().upper()
        seen[sym] += 1
        names.append(f"{sym}{seen[sym]}")
    return names


def _atom_names(mol: Chem.Mol) -> list[str]:
    names = []
    for atom in mol.GetAtoms():
        if atom.HasProp("_TriposAtomName"):
            names.append(atom.GetProp("_TriposAtomName").strip())
        elif atom.GetPDBResidueInfo() is not None:
            names.append(atom.GetPDBResidueInfo().GetName().strip())
        else:
            return _generated_names(mol)
    # Duplicate names would make labels ambiguous; fall back to generated ones.
    return names if len(set(names)) == len(names) else _generated_names(mol)


def ligand_from_mol(
    mol: Chem.Mol,
    *,
    source: str,
    fmt: str,
    ccd: str,
    resid: ResidueId | None = None,
    bond_orders_known: bool = False,
) -> Ligand:
    """Build a Ligand from an RDKit molecule (hydrogens, if any, kept in `molblock`).

    Hydrogen counts are trusted when the file had explicit hydrogens or sanitized bond orders.
    """
    if mol.GetNumConformers() == 0:
        raise StructureError(f"{source}: ligand has no 3D coordinates")
    names_all = _atom_names(mol)
    conf = mol.GetConformer()
    heavy = [a.GetIdx() for a in mol.GetAtoms() if a.GetAtomicNum() > 1]
    if not heavy:
        raise StructureError(f"{source}: ligand has no heavy atoms")
    new_index = {old: new for new, old in enumerate(heavy)}
    coords = np.array([list(conf.GetAtomPosition(i)) for i in heavy], dtype=float)
    has_explicit_h = any(a.GetAtomicNum() == 1 for a in mol.GetAtoms())
    resid = resid or ResidueId("L", 900, "", ccd)
    elements, names, hcounts = [], [], []
    for i in heavy:
        atom = mol.GetAtomWithIdx(i)
        elements.append(atom.GetSymbol().capitalize())
        names.append(names_all[i])
        hcounts.append(_hydrogens(atom, has_explicit_h))
    bonds = []
    for b in mol.GetBonds():
        i, j = b.GetBeginAtomIdx(), b.GetEndAtomIdx()
        if i in new_index and j in new_index:
            bonds.append((new_index[i], new_index[j], _BOND_ORDER.get(b.GetBondType(), 1)))
    atoms = AtomTable(coords=coords, elements=elements, names=names, residues=[resid] * len(heavy))
    return Ligand(
        atoms=atoms,
        bonds=bonds,
        molblock=_molblock(mol),
        hydrogen_counts=hcounts,
        hydrogens_known=has_explicit_h or bond_orders_known,
        ccd=ccd,
        source_format=fmt,
    )


def _hydrogens(atom: Chem.Atom, explicit_file_hydrogens: bool) -> int:
    """Hydrogens on a heavy atom: H neighbours when the file had hydrogens (RDKit would add implicit ones
    on top for bond-order-less PDB ligands), otherwise RDKit's total (which includes aromatic [nH])."""
    attached = sum(1 for n in atom.GetNeighbors() if n.GetAtomicNum() == 1)
    if explicit_file_hydrogens:
        return attached + atom.GetNumExplicitHs()
    try:
        return atom.GetTotalNumHs(includeNeighbors=True)
    except RuntimeError:  # unsanitized molecules have no implicit valence computed
        return attached


def _molblock(mol: Chem.Mol) -> str:
    """Kekulized when possible: a non-kekulized aromatic molblock loses [nH] hydrogens."""
    try:
        return Chem.MolToMolBlock(mol)
    except (RuntimeError, ValueError):
        return Chem.MolToMolBlock(mol, kekulize=False)


def _read_rdkit(path: Path, fmt: str, sanitize: bool) -> Chem.Mol | None:
    if fmt == "mol2":
        return Chem.MolFromMol2File(str(path), sanitize=sanitize, removeHs=False)
    supplier = Chem.SDMolSupplier(str(path), sanitize=sanitize, removeHs=False)
    return next(iter(supplier), None) if len(supplier) else None


def _read_openbabel(path: Path, fmt: str) -> Chem.Mol | None:
    from openbabel import openbabel, pybel  # imported late: RDKit must be loaded first (PLIP.md)

    openbabel.obErrorLog.StopLogging()  # its C++ warnings would reach the user's terminal; we report our own

    try:
        ob_mol = next(pybel.readfile(fmt, str(path)))
    except (StopIteration, OSError):
        return None
    return Chem.MolFromMol2Block(ob_mol.write("mol2"), sanitize=False, removeHs=False)


def read_ligand_file(path: Path, ccd: str = "LIG") -> Ligand:
    """Read a ligand from .mol2 or .sdf with the fallbacks above; StructureError if nothing works."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in {"mol2", "sdf", "mol"}:
        raise StructureError(f"{path}: unsupported ligand format '.{fmt}' (expected .mol2 or .sdf)")
    fmt = "sdf" if fmt == "mol" else fmt
    if not path.is_file() or path.stat().st_size == 0:
        raise StructureError(f"{path}: ligand file is missing or empty")
    for attempt in ("sanitized", "unsanitized", "openbabel"):
        try:
            mol = (
                _read_openbabel(path, fmt)
                if attempt == "openbabel"
                else _read_rdkit(path, fmt, sanitize=attempt == "sanitized")
            )
        except (OSError, RuntimeError, ValueError):
            mol = None
        if mol is not None and mol.GetNumAtoms() > 0 and mol.GetNumConformers() > 0:
            try:
                mol.UpdatePropertyCache(strict=False)
                return ligand_from_mol(
                    mol,
                    source=str(path),
                    fmt=f"{fmt}:{attempt}",
                    ccd=ccd,
                    bond_orders_known=attempt == "sanitized",
                )
            except StructureError:
                raise
            except (RuntimeError, ValueError):
                continue
    raise StructureError(f"{path}: not a readable {fmt.upper()} ligand (RDKit and Open Babel both failed)")


def ligand_from_pdb_lines(lines: list[str], conect: list[str], *, source: str, resid: ResidueId) -> Ligand:
    """Read a HETATM ligand (its lines plus the CONECT records among them) from a complex PDB."""
    block = "\n".join(lines + conect + ["END"]) + "\n"
    mol = Chem.MolFromPDBBlock(block, sanitize=False, removeHs=False, proximityBonding=not conect)
    if mol is None or mol.GetNumAtoms() == 0:
        raise StructureError(f"{source}: ligand {resid.key} could not be parsed")
    mol.UpdatePropertyCache(strict=False)
    return ligand_from_mol(mol, source=source, fmt="pdb", ccd=resid.name, resid=resid)
