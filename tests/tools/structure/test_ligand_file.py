"""Reading MOL2 ligands: atom names and hydrogen counts, with and without hydrogens in the file."""

from pathlib import Path

import numpy as np

from tools.structure import load_complex
from tools.structure.ligand import read_ligand_file

_ATOM = "{:>7} {:<8}{:>10.4f}{:>10.4f}{:>10.4f} {:<6}{:>5} LIG{:>14.4f}"


def _mol2(path: Path, atoms: list[tuple[str, str, tuple[float, float, float]]], bonds: list[tuple]) -> Path:
    lines = ["@<TRIPOS>MOLECULE", "LIG", f"{len(atoms)} {len(bonds)} 1 0 0", "SMALL", "NO_CHARGES", ""]
    lines.append("@<TRIPOS>ATOM")
    for k, (name, typ, xyz) in enumerate(atoms, start=1):
        lines.append(_ATOM.format(k, name, *xyz, typ, 1, 0.0))
    lines.append("@<TRIPOS>BOND")
    for k, (i, j, order) in enumerate(bonds, start=1):
        lines.append(f"{k:>6}{i:>6}{j:>6} {order}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_hydrogens_sharing_one_name_keep_the_heavy_atom_names(tmp_path: Path) -> None:
    # PDBbind-style MOL2: every hydrogen is named "H"; the heavy atoms keep their own names.
    atoms = [
        ("CAA", "C.3", (0.0, 0.0, 0.0)),
        ("OAB", "O.3", (1.43, 0.0, 0.0)),
        ("H", "H", (-0.36, 1.03, 0.0)),
        ("H", "H", (-0.36, -0.51, 0.89)),
        ("H", "H", (-0.36, -0.51, -0.89)),
        ("H", "H", (1.75, 0.9, 0.0)),
    ]
    bonds = [(1, 2, "1"), (1, 3, "1"), (1, 4, "1"), (1, 5, "1"), (2, 6, "1")]
    lig = read_ligand_file(_mol2(tmp_path / "m.mol2", atoms, bonds))
    assert lig.atoms.names == ["CAA", "OAB"]
    assert lig.hydrogen_counts == [3, 1] and lig.hydrogens_known


def test_mol2_without_hydrogens_counts_them_by_valence(tmp_path: Path) -> None:
    # Benzylamine written without hydrogens: the amine N has two, the ring CH one each.
    ring = [(1.39 * np.cos(np.radians(60 * k)), 1.39 * np.sin(np.radians(60 * k)), 0.0) for k in range(6)]
    atoms = [(f"C{k + 1}", "C.ar", xyz) for k, xyz in enumerate(ring)]
    atoms += [("C7", "C.3", (2.90, 0.0, 0.0)), ("N1", "N.3", (3.45, 1.37, 0.0))]
    bonds = [(k + 1, (k + 1) % 6 + 1, "ar") for k in range(6)] + [(1, 7, "1"), (7, 8, "1")]
    lig = read_ligand_file(_mol2(tmp_path / "b.mol2", atoms, bonds))
    counts = dict(zip(lig.atoms.names, lig.hydrogen_counts, strict=True))
    assert counts["N1"] == 2 and counts["C7"] == 2 and counts["C2"] == 1 and counts["C1"] == 0


def test_metal_ions_are_read_with_the_complex(complexes_dir: Path) -> None:
    cx = load_complex(complexes_dir / "4gql", ligand="R47:A:306")
    assert cx.metal_coords.shape[1] == 3 and len(cx.metal_coords) >= 2
    assert len(load_complex(complexes_dir / "1hvi", ligand="A77:A:800").metal_coords) == 0
