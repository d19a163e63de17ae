import shutil
from pathlib import Path

import pytest

from tools.structure import StructureError, load_complex


def test_whole_complex_with_named_ligand(complexes_dir: Path) -> None:
    cx = load_complex(complexes_dir / "1h2t", ligand="GDP:Z:1151")
    assert cx.layout == "complex"
    assert cx.ligand.ccd == "GDP"
    assert "O1B" in cx.ligand.atoms.names  # PDB atom names are kept for the labels
    assert all(el != "H" for el in cx.pocket.elements)
    assert len(cx.pocket.residue_order()) > 5


def test_split_layout_reads_sdf_and_generates_names(complexes_dir: Path) -> None:
    cx = load_complex(complexes_dir / "1g9v")
    assert cx.layout == "split"
    assert cx.ligand.source_format == "sdf:sanitized"
    assert cx.ligand.hydrogens_known  # bond orders from a sanitized SDF give reliable H counts
    assert len(set(cx.ligand.atoms.names)) == len(cx.ligand.atoms.names)


def test_pocket_keeps_insertion_codes(complexes_dir: Path) -> None:
    cx = load_complex(complexes_dir / "2bm2")
    labels = {r.label for r in cx.pocket.residue_order()}
    assert {"PRO 60A", "ASP 60B"} <= labels


def test_pocket_cutoff_is_respected(complexes_dir: Path) -> None:
    small = load_complex(complexes_dir / "1acj", pocket_cutoff=4.0)
    large = load_complex(complexes_dir / "1acj", pocket_cutoff=8.0)
    assert len(small.pocket.residue_order()) < len(large.pocket.residue_order())


def test_ligand_is_found_without_a_name(complexes_dir: Path) -> None:
    assert load_complex(complexes_dir / "1acj").ligand.ccd == "THA"


def _copy(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    for f in dest.iterdir():
        f.chmod(0o644)
    return dest


def test_corrupt_pdb_names_the_file(complexes_dir: Path, tmp_path: Path) -> None:
    folder = _copy(complexes_dir / "1g9v", tmp_path / "1g9v")
    pdb = folder / "1g9v_protein.pdb"
    # One unreadable atom line is dropped and counted (test_repairs); a file of nothing else is rejected.
    lines = [ln[:30] + "   abc.def" + ln[40:] for ln in pdb.read_text().splitlines()]
    pdb.write_text("\n".join(lines) + "\n")
    with pytest.raises(StructureError, match="1g9v_protein.pdb"):
        load_complex(folder)


def test_truncated_sdf_is_rejected(complexes_dir: Path, tmp_path: Path) -> None:
    folder = _copy(complexes_dir / "1g9v", tmp_path / "1g9v")
    sdf = folder / "1g9v_ligand.sdf"
    sdf.write_text(sdf.read_text()[:300])
    with pytest.raises(StructureError, match="1g9v_ligand.sdf"):
        load_complex(folder)


def test_complex_without_ligand_is_a_clear_error(complexes_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "1acj"
    folder.mkdir()
    text = (complexes_dir / "1acj" / "1acj_complex.pdb").read_text().splitlines()
    (folder / "1acj_complex.pdb").write_text("\n".join(ln for ln in text if "THA" not in ln) + "\n")
    with pytest.raises(StructureError, match="no ligand found"):
        load_complex(folder)


def test_folder_without_files(tmp_path: Path) -> None:
    with pytest.raises(StructureError, match="no ligand found"):
        load_complex(tmp_path)
