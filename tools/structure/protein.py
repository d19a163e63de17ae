"""Reading protein/pocket PDB files with Biopython, and cutting a pocket around a ligand."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from Bio.PDB import PDBParser
from Bio.PDB.PDBExceptions import PDBConstructionException, PDBConstructionWarning
from scipy.spatial import cKDTree

from tools.structure.model import AtomTable, ResidueId, StructureError

WATER = {"HOH", "WAT", "DOD", "H2O"}
METALS = {"LI", "NA", "K", "MG", "CA", "MN", "FE", "CO", "NI", "CU", "ZN", "CD", "HG", "SR", "BA", "PT", "AU"}


def _element(atom) -> str:
    el = (atom.element or "").strip()
    if not el or el == "X":
        el = atom.get_id().strip().lstrip("0123456789")[:1]
    return el.capitalize()


def read_protein_atoms(path: Path, *, hetero: bool = False) -> AtomTable:
    """Heavy atoms of the first model: standard residues (or, with hetero=True, HETATM groups too).

    Water and hydrogens are dropped; chain ids and insertion codes are kept as in the file.
    """
    if not path.is_file() or path.stat().st_size == 0:
        raise StructureError(f"{path}: PDB file is missing or empty")
    parser = PDBParser(PERMISSIVE=False, QUIET=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PDBConstructionWarning)
            structure = parser.get_structure(path.stem, str(path))
    except (PDBConstructionException, ValueError, IndexError, KeyError) as exc:
        raise StructureError(f"{path}: not a valid PDB file ({str(exc).splitlines()[0][:120]})") from None
    models = list(structure)
    if not models:
        raise StructureError(f"{path}: PDB file holds no atoms")
    coords, elements, names, residues = [], [], [], []
    for chain in models[0]:
        for residue in chain:
            het, number, icode = residue.get_id()
            if residue.get_resname().strip() in WATER or (het.strip() and not hetero):
                continue
            rid = ResidueId(chain.get_id().strip(), int(number), icode.strip(), residue.get_resname().strip())
            for atom in residue:
                el = _element(atom)
                if el in {"H", "D"}:
                    continue
                coords.append(atom.get_coord().astype(float))
                elements.append(el)
                names.append(atom.get_id().strip())
                residues.append(rid)
    if not coords:
        raise StructureError(f"{path}: PDB file holds no protein atoms")
    return AtomTable(np.array(coords, dtype=float), elements, names, residues)


def read_metal_ions(path: Path) -> np.ndarray:
    """Coordinates of the metal ions among the first model's HETATM records (element in columns 77–78)."""
    coords = []
    with path.open(errors="replace") as handle:
        for line in handle:
            if line.startswith("ENDMDL"):
                break
            if line.startswith("HETATM") and line[76:78].strip().upper() in METALS:
                try:
                    coords.append([float(line[30:38]), float(line[38:46]), float(line[46:54])])
                except ValueError:
                    continue
    return np.array(coords, dtype=float).reshape(-1, 3)


def cut_pocket(protein: AtomTable, ligand_coords: np.ndarray, cutoff: float) -> AtomTable:
    """Whole residues with any heavy atom within `cutoff` Å of any ligand heavy atom."""
    tree = cKDTree(ligand_coords)
    near = tree.query_ball_point(protein.coords, r=cutoff)
    keep = {protein.residues[i] for i, hits in enumerate(near) if hits}
    if not keep:
        raise StructureError(f"no protein residue lies within {cutoff} Å of the ligand")
    mask = np.array([r in keep for r in protein.residues])
    return protein.subset(mask)
