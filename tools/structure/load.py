"""Loading a complex from a folder in either layout.

- whole complex: `<id>_complex.pdb` with the ligand as HETATM (named RESN:CHAIN:NUM, or found
  automatically as the largest non-solvent, non-ion HETATM group);
- split (PDBbind): `<id>_protein.pdb` and/or `<id>_pocket.pdb` plus `<id>_ligand.mol2` or `.sdf`
  (MOL2 preferred).

Without a pocket file the pocket is cut from the protein: whole standard residues with any heavy atom
within POCKET_CUTOFF Å of any ligand heavy atom (insertion codes and chain ids kept).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from tools.structure.altlocs import keep_one_altloc
from tools.structure.ligand import ligand_from_pdb_lines, read_ligand_file
from tools.structure.model import Complex, ResidueId, StructureError
from tools.structure.protein import WATER, cut_pocket, read_metal_ions, read_protein_atoms
from tools.structure.repairs import Repairs

POCKET_CUTOFF = 6.0

# Groups never taken as "the ligand" when none is named: ions, buffers and crystallisation additives.
NOT_LIGANDS = WATER | {
    "SO4",
    "PO4",
    "GOL",
    "EDO",
    "PEG",
    "ACT",
    "DMS",
    "MPD",
    "CL",
    "NA",
    "K",
    "MG",
    "CA",
    "ZN",
    "MN",
    "FE",
    "CU",
    "NI",
    "CO",
    "CD",
    "IOD",
    "BR",
    "FMT",
    "TRS",
    "EPE",
    "MES",
    "ACE",
    "NH2",
    "UNL",
}


def parse_ligand_spec(spec: str) -> tuple[str, str, int, str]:
    """'GDP:Z:1151' or 'HIS:A:57A' → (resname, chain, number, icode)."""
    parts = spec.split(":")
    if len(parts) != 3:
        raise StructureError(f"ligand '{spec}': expected RESN:CHAIN:NUMBER, e.g. GDP:Z:1151")
    resn, chain, num = parts
    digits = num.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    try:
        return resn, chain, int(digits), num[len(digits) :]
    except ValueError:
        raise StructureError(f"ligand '{spec}': residue number '{num}' is not a number") from None


def _hetatm_groups(path: Path) -> tuple[dict[tuple, list[str]], list[str]]:
    groups: dict[tuple, list[str]] = {}
    conect: list[str] = []
    with path.open(errors="replace") as handle:
        for line in handle:
            if line.startswith("ENDMDL"):
                break
            if line.startswith("HETATM"):
                key = (line[17:20].strip(), line[21].strip(), line[22:26].strip(), line[26].strip())
                groups.setdefault(key, []).append(line.rstrip("\n"))
            elif line.startswith("CONECT"):
                conect.append(line.rstrip("\n"))
    return groups, conect


def _select_conect(conect: list[str], lines: list[str]) -> list[str]:
    serials = {line[6:11].strip() for line in lines}
    keep = []
    for rec in conect:
        fields = [rec[i : i + 5].strip() for i in range(6, min(len(rec), 31), 5)]
        if fields and fields[0] in serials:
            keep.append("CONECT" + "".join(f"{f:>5}" for f in fields if f in serials))
    return [k for k in keep if len(k) > 11]


def _ligand_from_complex(path: Path, spec: str | None, repairs: Repairs):
    groups, conect = _hetatm_groups(path)
    if spec:
        resn, chain, num, icode = parse_ligand_spec(spec)
        key = (resn, chain, str(num), icode)
        if key not in groups:
            raise StructureError(f"{path}: no HETATM ligand {spec} in the file")
    else:
        candidates = [
            (sum(1 for ln in lines if ln[76:78].strip() not in {"H", "D"}), k)
            for k, lines in groups.items()
            if k[0] not in NOT_LIGANDS
        ]
        candidates = [c for c in candidates if c[0] >= 6]
        if not candidates:
            raise StructureError(f"{path}: no ligand found (no HETATM group of 6+ heavy atoms)")
        key = max(candidates, key=lambda c: (c[0], c[1]))[1]
    lines = groups[key]
    repairs.ligand_altloc_atoms += len({ln[12:16] for ln in lines if ln[16] != " "})
    lines = keep_one_altloc(lines)
    rid = ResidueId(key[1], int(key[2]), key[3], key[0])
    return ligand_from_pdb_lines(lines, _select_conect(conect, lines), source=str(path), resid=rid)


def _find(folder: Path, suffix: str) -> Path | None:
    hits = sorted(folder.glob(f"*{suffix}"))
    return hits[0] if hits else None


def load_complex(folder: Path, *, ligand: str | None = None, pocket_cutoff: float = POCKET_CUTOFF) -> Complex:
    """Load the complex in `folder` (either layout); StructureError names the file and the problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise StructureError(f"{folder}: not a folder")
    pdb_id = folder.name.lower()
    complex_pdb = _find(folder, "_complex.pdb")
    protein_pdb = _find(folder, "_protein.pdb")
    pocket_pdb = _find(folder, "_pocket.pdb")
    ligand_file = _find(folder, "_ligand.mol2") or _find(folder, "_ligand.sdf")
    repairs = Repairs()

    if complex_pdb is not None:
        lig = _ligand_from_complex(complex_pdb, ligand, repairs)
        protein = read_protein_atoms(complex_pdb, repairs=repairs)
        files, layout = [complex_pdb], "complex"
    elif ligand_file is not None and (protein_pdb or pocket_pdb):
        lig = read_ligand_file(ligand_file, ccd=(ligand or "LIG").split(":")[0])
        protein_file = pocket_pdb or protein_pdb
        assert protein_file is not None  # the branch's condition
        protein = read_protein_atoms(protein_file, repairs=repairs)
        files = [protein_file, ligand_file]
        layout = "split"
    else:
        raise StructureError(
            f"{folder}: no ligand found (expected *_complex.pdb, or *_protein.pdb/*_pocket.pdb with "
            "*_ligand.mol2/*_ligand.sdf)"
        )
    repairs.ligand_reader = lig.source_format
    repairs.ligand_atoms_renamed = lig.renamed_atoms
    if pocket_pdb is not None and complex_pdb is None:
        pocket, source, cutoff = protein, "file", None
    else:
        try:
            pocket = cut_pocket(protein, lig.atoms.coords, pocket_cutoff)
        except StructureError as exc:
            raise StructureError(f"{files[0]}: {exc}") from None
        source, cutoff = "extracted", pocket_cutoff
    metals = read_metal_ions(files[0])
    return Complex(pdb_id, pocket, lig, layout, files, source, cutoff, metals, repairs)


@lru_cache(maxsize=64)
def load_complex_cached(
    folder: str, ligand: str | None = None, pocket_cutoff: float = POCKET_CUTOFF
) -> Complex:
    """Cached by (folder, ligand, cutoff): callers must treat the result as read-only."""
    return load_complex(Path(folder), ligand=ligand, pocket_cutoff=pocket_cutoff)
