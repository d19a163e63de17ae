"""Linking imported items to complexes in a PDBbind-layout folder (`<id>/<id>_protein.pdb`, `_pocket.pdb`,
`<id>_ligand.mol2|.sdf`), so that they can run with structure access.

Each complex found is loaded once (a complex that does not load is reported, not linked) and its files
are copied into the benchmark's `structures/<id>/`, so the benchmark directory stands on its own.
An `index.csv` beside the folders (as the bundled complexes have) may name each complex's ligand
(`id`, `ligand_bsid_in_complex`).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from eval.misi.build.builder import discover
from tools.refs import StructureRef
from tools.structure import StructureError
from tools.structure.load import load_complex

STRUCTURE_SUFFIXES = {".pdb", ".sdf", ".mol2"}


@dataclass
class StructureLinks:
    refs: dict[str, StructureRef] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # PDB ids with no folder
    unreadable: dict[str, str] = field(default_factory=dict)  # PDB id → why it did not load


def _folders(root: Path) -> dict[str, tuple[Path, str | None]]:
    """PDB id → (folder, ligand spec); an index.csv beside the folders may name each ligand."""
    return {pdb_id: (folder, ligand) for pdb_id, folder, ligand in discover(root)}


def link_structures(pdb_ids: set[str], root: Path | None, out: Path) -> StructureLinks:
    """A StructureRef (relative to `out`) for every id with a loadable complex under `root`."""
    links = StructureLinks()
    if root is None:
        return links
    folders = _folders(Path(root))
    for pdb_id in sorted(pdb_ids):
        if pdb_id.lower() not in folders:
            links.missing.append(pdb_id)
            continue
        folder, ligand = folders[pdb_id.lower()]
        try:
            load_complex(folder, ligand=ligand)
        except StructureError as exc:
            links.unreadable[pdb_id] = str(exc)
            continue
        dest = out / "structures" / pdb_id.lower()
        dest.mkdir(parents=True, exist_ok=True)
        files = []
        for f in sorted(folder.iterdir()):
            if f.is_file() and f.suffix.lower() in STRUCTURE_SUFFIXES:
                shutil.copyfile(f, dest / f.name)
                files.append(f.name)
        links.refs[pdb_id] = StructureRef(
            pdb_id=pdb_id.lower(), folder=f"structures/{pdb_id.lower()}", files=files, ligand=ligand
        )
    return links
