"""Reading protein/pocket PDB files with Biopython, and cutting a pocket around a ligand.

Biopython's PERMISSIVE parser reads what a strict one rejects; its warnings are counted as repairs. One
defect needs help first: chains that restart their numbering under one chain id (old PDBbind pockets give
both chains of a dimer a blank id, so "ARG 70" comes twice and its atoms look defined twice). Such a chain
is split into segments at each restart and the segments get chain ids of their own.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
from Bio.PDB import PDBParser
from Bio.PDB.PDBExceptions import PDBConstructionException, PDBConstructionWarning
from scipy.spatial import cKDTree

from tools.structure.altlocs import select_altloc
from tools.structure.model import AtomTable, ResidueId, StructureError
from tools.structure.repairs import CHAIN_IDS, Repairs

WATER = {"HOH", "WAT", "DOD", "H2O"}
METALS = {"LI", "NA", "K", "MG", "CA", "MN", "FE", "CO", "NI", "CU", "ZN", "CD", "HG", "SR", "BA", "PT", "AU"}
_RECORDS = ("ATOM  ", "HETATM")


def _readable(line: str) -> bool:
    """The numbers Biopython cannot do without: coordinates and residue number."""
    try:
        float(line[30:38]), float(line[38:46]), float(line[46:54])
        int(line[22:26].split()[0])
    except (ValueError, IndexError):
        return False
    return True


def _residue_key(line: str) -> tuple[str, int, str, str]:
    return (line[17:20].strip(), int(line[22:26].split()[0]), line[26].strip(), line[0:6])


def _segment_starts(lines: list[str], chain: str) -> list[int]:
    """Indices (into `lines`) where a chain's numbering restarts: a residue number lower than the one
    before, or the same number and insertion code under another residue name."""
    starts, prev = [], None
    for i, line in enumerate(lines):
        if line[0:6] != "ATOM  " or line[21] != chain:
            continue
        name, num, icode, _ = _residue_key(line)
        if prev is not None and (name, num, icode) != prev and (num, icode) <= (prev[1], prev[2]):
            starts.append(i)
        prev = (name, num, icode)
    return starts


def split_restarted_chains(lines: list[str], repairs: Repairs) -> list[str]:
    """Give each restarted segment of a chain its own chain id (a blank chain's segments all get ids)."""
    atoms = [ln for ln in lines if ln.startswith(_RECORDS)]
    restarted: list[str] = []
    seen: dict[str, set] = {}
    current: dict[str, tuple] = {}
    for line in atoms:
        if line[0:6] != "ATOM  ":
            continue
        chain, key = line[21], _residue_key(line)[:3]
        if current.get(chain) != key:
            if key in seen.setdefault(chain, set()) and chain not in restarted:
                restarted.append(chain)
            seen[chain].add(key)
            current[chain] = key
    if not restarted:
        return lines
    free = [c for c in CHAIN_IDS if c not in {ln[21] for ln in atoms}]
    out = list(lines)
    for chain in restarted:
        starts = _segment_starts(out, chain)
        bounds = ([0] if chain == " " else []) + starts
        for k, begin in enumerate(bounds):
            end = bounds[k + 1] if k + 1 < len(bounds) else len(out)
            if not free:
                raise StructureError("too many chain segments to give each its own chain id")
            new = free.pop(0)
            residues, first = set(), None
            for i in range(begin, end):
                ln = out[i]
                if ln.startswith(_RECORDS) and ln[21] == chain and ln[17:20].strip() not in WATER:
                    residues.add(_residue_key(ln))
                    out[i] = ln[:21] + new + ln[22:]
                    first = ln if first is None else first
            repairs.chain_segments_split += 1
            repairs.residues_relabelled += len(residues)
            name = f"chain {chain}" if chain.strip() else "the blank chain"
            start = f"{first[17:20].strip()} {first[22:27].strip()}" if first else "?"
            repairs.note(f"{name} restarts its numbering: the segment from {start} on is chain {new}")
    return out


def _prepare(path: Path, repairs: Repairs) -> str:
    kept = []
    for line in path.read_text(errors="replace").splitlines(keepends=True):
        if line.startswith(_RECORDS) and not _readable(line):
            repairs.unreadable_atom_lines += 1
            continue
        kept.append(line)
    return "".join(split_restarted_chains(kept, repairs))


def _element(atom) -> str:
    el = (atom.element or "").strip()
    if not el or el == "X":
        el = atom.get_id().strip().lstrip("0123456789")[:1]
    return el.capitalize()


def read_protein_atoms(path: Path, *, hetero: bool = False, repairs: Repairs | None = None) -> AtomTable:
    """Heavy atoms of the first model: standard residues (or, with hetero=True, HETATM groups too).

    Water and hydrogens are dropped; chain ids and insertion codes are kept as in the file. Repairs (see
    the module docstring) are counted into `repairs`.
    """
    repairs = repairs if repairs is not None else Repairs()
    if not path.is_file() or path.stat().st_size == 0:
        raise StructureError(f"{path}: PDB file is missing or empty")
    text = _prepare(path, repairs)
    parser = PDBParser(PERMISSIVE=True, QUIET=False)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", PDBConstructionWarning)
            structure = parser.get_structure(path.stem, io.StringIO(text))
    except (PDBConstructionException, ValueError, IndexError, KeyError) as exc:
        raise StructureError(f"{path}: not a valid PDB file ({str(exc).splitlines()[0][:120]})") from None
    repairs.count_warnings([w for w in caught if issubclass(w.category, PDBConstructionWarning)])
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
            select_altloc(residue)
            heavy = 0
            for atom in residue:
                el = _element(atom)
                if el in {"H", "D"}:
                    continue
                heavy += 1
                repairs.altloc_atoms += bool(atom.is_disordered())
                coords.append(atom.get_coord().astype(float))
                elements.append(el)
                names.append(atom.get_id().strip())
                residues.append(rid)
            if heavy:
                repairs.kept_blank_chain_residues += not rid.chain
                repairs.kept_insertion_codes += bool(rid.icode)
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
