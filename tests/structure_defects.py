"""A 10gs-style PDBbind folder made from a bundled complex: the pocket's residues twice (two chains), both
under a blank chain id, the second copy restarting the numbering, with no TER between them."""

from __future__ import annotations

import shutil
from pathlib import Path

from tools.structure import load_complex

SOURCE = "1g9v"  # split layout: protein PDB + ligand SDF


def pocket_lines(complexes_dir: Path) -> list[str]:
    """ATOM lines of the bundled complex's 6 Å pocket, in file order (chain A, elements present)."""
    cx = load_complex(complexes_dir / SOURCE)
    keep = {(r.chain, r.number, r.icode) for r in cx.pocket.residue_order()}
    lines = (complexes_dir / SOURCE / f"{SOURCE}_protein.pdb").read_text().splitlines()
    return [
        ln
        for ln in lines
        if ln.startswith("ATOM") and (ln[21].strip(), int(ln[22:26]), ln[26].strip()) in keep
    ]


def shift(line: str, dx: float) -> str:
    return f"{line[:30]}{float(line[30:38]) + dx:8.3f}{line[38:]}"


def write_folder(folder: Path, complexes_dir: Path, lines: list[str]) -> Path:
    """`folder` as a PDBbind folder: `<name>_pocket.pdb` from `lines` plus the bundled ligand SDF."""
    folder.mkdir(parents=True)
    (folder / f"{folder.name}_pocket.pdb").write_text("\n".join(lines) + "\nEND\n")
    shutil.copy(complexes_dir / SOURCE / f"{SOURCE}_ligand.sdf", folder / f"{folder.name}_ligand.sdf")
    return folder


def shared_numbering_lines(complexes_dir: Path) -> list[str]:
    blank = [ln[:21] + " " + ln[22:] for ln in pocket_lines(complexes_dir)]
    return blank + [shift(ln, 4.0) for ln in blank]
